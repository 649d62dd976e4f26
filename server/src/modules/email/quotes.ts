/**
 * Where quoted history starts in a plain-text reply, in the languages the desk serves:
 * "On … wrote:", Outlook's "-----Original Message-----" / "From:" block, and their ar/fa/ru forms.
 */
const quoteStarts: RegExp[] = [
  /^On\b.{0,200}\bwrote:\s*$/i,
  /^-{2,}\s*(Original Message|Forwarded message|Исходное сообщение|Пересылаемое сообщение|الرسالة الأصلية|پیام اصلی)\s*-{2,}\s*$/i,
  /^.{0,200}(писал|написал)\(?а?\)?:\s*$/i,
  // كتب and نوشت are also everyday words ("books", "wrote"): only a line ending in a colon that
  // names an address or a date is an attribution.
  /^(?=.*[@0-9\u0660-\u0669\u06F0-\u06F9]).{0,200}(كتب|کتب|نوشت|نوشته است).{0,200}:\s*$/,
  /^>/,
];

/** Outlook's quoted header block: a From line is one only when the block's other fields follow it. */
const fromLine = /^(From|От|من|از):\s.+$/;
const blockField = /^(Sent|Date|To|Cc|Subject|Отправлено|Дата|Кому|Копия|Тема|تم الإرسال|التاريخ|إلى|نسخة|الموضوع|ارسال شده|تاریخ|به|رونوشت|موضوع):/i;
const quotedHeaderAt = (lines: string[], i: number) => fromLine.test(lines[i].trim()) && lines.slice(i + 1, i + 4).some((l) => blockField.test(l.trim()));

/** "-- " is the standard signature separator; mobile footers are common too. */
const signatureStarts: RegExp[] = [/^-- ?$/, /^(Sent from my|Отправлено с|أرسلت من|ارسال شده از)\b/i];

/** Splits off quoted history and signature; the full text is kept by the caller. */
export function collapseQuoted(text: string): { trimmed: string; collapsed: boolean } {
  const lines = text.split('\n');
  let cut = lines.length;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (quoteStarts.some((r) => r.test(line)) || quotedHeaderAt(lines, i) || signatureStarts.some((r) => r.test(lines[i]))) {
      // A message that *starts* with a quote keeps its text: there is nothing above it to show.
      if (i === 0 || !lines.slice(0, i).some((l) => l.trim())) continue;
      cut = i;
      break;
    }
  }
  const trimmed = lines.slice(0, cut).join('\n').trim();
  return { trimmed: trimmed || text.trim(), collapsed: cut < lines.length && !!trimmed };
}

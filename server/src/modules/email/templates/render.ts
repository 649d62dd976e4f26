import { directionOf } from '../../../../../common/enums.js';
import { notificationStrings } from './notifications.js';

export type NotificationKind = 'acknowledgement' | 'resolved';
type Lang = keyof typeof notificationStrings;

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function fill(template: string, vars: Record<string, string | number>) {
  return template.replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k] ?? ''));
}

export const languageOf = (l: string): Lang => (l in notificationStrings ? (l as Lang) : 'en');

/** Wraps text paragraphs in a minimal HTML body whose direction follows the language. */
export function htmlDocument(language: string, paragraphs: string[]): string {
  const lang = languageOf(language);
  const dir = directionOf(lang);
  const body = paragraphs.map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`).join('\n');
  return `<!doctype html>\n<html lang="${lang}" dir="${dir}"><head><meta charset="utf-8"></head>\n<body dir="${dir}" style="text-align: start">\n${body}\n</body></html>\n`;
}

/** Subject, text and HTML of a customer notification in the customer's language. */
export function renderNotification(kind: NotificationKind, language: string, vars: { number: number; subject: string; name: string; hours: number }) {
  const lang = languageOf(language);
  const s = notificationStrings[lang];
  const form = new Intl.PluralRules(lang).select(vars.hours);
  const v = { n: vars.number, subject: vars.subject, name: vars.name, hours: fill(s.hours[form] ?? s.hours.other, { h: vars.hours }) };
  const lines = (kind === 'acknowledgement' ? s.ack : s.resolved).map((l) => fill(l, v));
  const paragraphs = [fill(s.greeting, v), ...lines, s.team];
  return {
    subject: `${fill(kind === 'acknowledgement' ? s.ackSubject : s.resolvedSubject, v)} [#${vars.number}]`,
    text: paragraphs.join('\n\n') + '\n',
    html: htmlDocument(lang, paragraphs),
  };
}

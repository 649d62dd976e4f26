type WellFormed = string & { isWellFormed(): boolean; toWellFormed(): string };

/** No half of a surrogate pair (Node 20 has the ES2024 method; native, at once true for one-byte text). */
export const wellFormed = (text: string) => (text as WellFormed).isWellFormed();

/**
 * Text as PostgreSQL can store it: no NUL, no half of a surrogate pair (one becomes U+FFFD).
 * For text from outside that must be kept, not refused (mail headers and bodies).
 */
export function storable(text: string): string {
  const t = (text.includes('\0') ? text.replaceAll('\0', '') : text) as WellFormed;
  return wellFormed(t) ? t : t.toWellFormed();
}

/** The first `max` UTF-16 units, never ending in half an emoji (which the database would refuse). */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const code = text.charCodeAt(max - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}

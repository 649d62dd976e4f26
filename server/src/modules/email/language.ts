import type { languages } from '../../../../common/enums.js';

type Language = (typeof languages)[number];

/** A first guess at a new customer's language from the script of their first mail. */
export function guessLanguage(text: string): Language {
  const sample = text.slice(0, 4000);
  const count = (r: RegExp) => sample.match(r)?.length ?? 0;
  const arabicScript = count(/[\u0600-\u06FF\u0750-\u077F\uFB50-\uFDFF\uFE70-\uFEFF]/g);
  const cyrillic = count(/[\u0400-\u04FF]/g);
  const latin = count(/[A-Za-z]/g);
  if (arabicScript > latin && arabicScript >= cyrillic) {
    // Letters Persian has and Arabic lacks (پ چ ژ گ), and Persian's own kaf and yeh.
    const persian = count(/[\u067E\u0686\u0698\u06AF\u06A9\u06CC]/g);
    const arabic = count(/[\u0643\u064A\u0629]/g);
    return persian > arabic ? 'fa' : 'ar';
  }
  if (cyrillic > latin) return 'ru';
  return 'en';
}

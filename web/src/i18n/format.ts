import { useTranslation } from 'react-i18next';
import { directionOf } from './i18n';

type Formatter = Intl.DateTimeFormat | Intl.RelativeTimeFormat | Intl.NumberFormat | Intl.ListFormat;
const cache = new Map<string, Formatter>();
function cached<T extends Formatter>(key: string, make: () => T): T {
  let f = cache.get(key) as T | undefined;
  if (!f) cache.set(key, (f = make()));
  return f;
}

/** Numbers and dates in the reader's locale (Arabic-Indic digits in Arabic, Persian digits in Persian). */
export function useFormat() {
  const { i18n } = useTranslation();
  const lng = i18n.language;
  return {
    number: (n: number) => cached(`n:${lng}`, () => new Intl.NumberFormat(lng)).format(n),
    /** Ticket numbers are identifiers: local digits, no thousands separator. */
    ticketNumber: (n: number) => cached(`t:${lng}`, () => new Intl.NumberFormat(lng, { useGrouping: false })).format(n),
    dateTime: (iso: string) =>
      cached(`dt:${lng}`, () => new Intl.DateTimeFormat(lng, { dateStyle: 'medium', timeStyle: 'short' })).format(new Date(iso)),
    date: (iso: string) => cached(`d:${lng}`, () => new Intl.DateTimeFormat(lng, { dateStyle: 'medium' })).format(new Date(iso)),
    relative: (iso: string) => relative(lng, iso),
    /** A wall-clock time kept as "HH:MM" (opening hours), in local digits. */
    clock: (hhmm: string) => {
      const [h, m] = hhmm.split(':').map(Number);
      if (!Number.isInteger(h) || !Number.isInteger(m)) return hhmm;
      const f = cached(`c:${lng}`, () => new Intl.DateTimeFormat(lng, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'UTC' }));
      return f.format(Date.UTC(2000, 0, 1, h, m));
    },
    /** A file's size in the reader's units and digits: "12 KB", "١٢ ك.بايت", "2.5 МБ". */
    fileSize: (bytes: number) => {
      const mb = bytes >= 1024 * 1024;
      const unit = mb ? 'megabyte' : 'kilobyte';
      const value = mb ? Math.round((bytes / 1024 / 1024) * 10) / 10 : Math.max(1, Math.ceil(bytes / 1024));
      return cached(`s:${unit}:${lng}`, () => new Intl.NumberFormat(lng, { style: 'unit', unit, unitDisplay: 'short' })).format(value);
    },
    /** Items of a plain list, with the script's own comma (Intl.ListFormat adds "and" in some languages). */
    list: (items: string[]) => items.join(directionOf(lng) === 'rtl' ? '، ' : ', '),
    /** People named in a sentence: "Ana and Omid", "Ana, Omid and Lena" in the reader's language. */
    people: (names: string[]) => cached(`p:${lng}`, () => new Intl.ListFormat(lng, { type: 'conjunction' })).format(names),
  };
}

const steps: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 86400],
  ['month', 30 * 86400],
  ['week', 7 * 86400],
  ['day', 86400],
  ['hour', 3600],
  ['minute', 60],
];

function relative(lng: string, iso: string) {
  const fmt = cached(`r:${lng}`, () => new Intl.RelativeTimeFormat(lng, { numeric: 'auto' }));
  const seconds = (new Date(iso).getTime() - Date.now()) / 1000;
  for (const [unit, size] of steps) {
    if (Math.abs(seconds) >= size) return fmt.format(Math.round(seconds / size), unit);
  }
  return fmt.format(0, 'minute');
}

/**
 * Business-time arithmetic on a weekly calendar in one IANA time zone, with holidays.
 * Pure functions over epoch milliseconds; offsets come from Intl, so daylight-saving changes
 * are handled by the platform's time-zone data without a library.
 */

/** One opening interval in local wall time; `end` may be "24:00". Day 0 is Sunday. */
export type OpeningHours = { day: number; start: string; end: string };
export type BusinessCalendar = { timeZone: string; hours: OpeningHours[]; holidays: string[] };

const MAX_DAYS = 3 * 366;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Wall-clock fields of an instant in a zone. */
function wallClock(instant: number, timeZone: string) {
  if (timeZone === 'UTC') {
    // The default zone needs no formatter, and this runs for every target of every ticket change.
    const d = new Date(instant);
    return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds() };
  }
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(instant))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return { year: parts.year, month: parts.month, day: parts.day, hour: parts.hour % 24, minute: parts.minute, second: parts.second };
}

/** How far the zone's wall clock is ahead of UTC at an instant, in ms. */
export function zoneOffsetMs(instant: number, timeZone: string): number {
  const w = wallClock(instant, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/**
 * The instant when the zone's wall clock shows the given local date and minute of day.
 * Like Temporal's "compatible" choice: an ambiguous time (autumn) is its first occurrence, a
 * time skipped by a spring change is read with the offset before the change (02:30 → 03:30).
 */
export function localToInstant(year: number, month: number, day: number, minuteOfDay: number, timeZone: string): number {
  const wall = Date.UTC(year, month - 1, day) + minuteOfDay * 60_000;
  const before = zoneOffsetMs(wall - 86_400_000, timeZone);
  const after = zoneOffsetMs(wall + 86_400_000, timeZone);
  const candidates = [wall - before, wall - after].filter((t) => t + zoneOffsetMs(t, timeZone) === wall);
  if (candidates.length) return Math.min(...candidates);
  return wall - before;
}

const minutesOf = (hhmm: string) => {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
};

export function isAlwaysOpen(cal: BusinessCalendar): boolean {
  if (cal.holidays.length) return false;
  for (let d = 0; d < 7; d++) {
    const open = cal.hours.filter((h) => h.day === d).map((h) => [minutesOf(h.start), minutesOf(h.end)]);
    if (!open.some(([s, e]) => s === 0 && e === 1440)) return false;
  }
  return true;
}

type Window = { start: number; end: number };

/** Opening windows as instants, day by day in local dates, from the local day containing `from`. */
function* windows(cal: BusinessCalendar, from: number): Generator<Window> {
  const w = wallClock(from, cal.timeZone);
  const holidays = new Set(cal.holidays);
  const byDay = Array.from({ length: 7 }, (_, d) =>
    cal.hours
      .filter((h) => h.day === d)
      .map((h) => [minutesOf(h.start), minutesOf(h.end)] as const)
      .sort((a, b) => a[0] - b[0]),
  );
  if (!byDay.some((d) => d.length)) throw new Error('a business calendar needs opening hours');
  for (let i = 0; i < MAX_DAYS; i++) {
    const date = new Date(Date.UTC(w.year, w.month - 1, w.day + i));
    const y = date.getUTCFullYear();
    const m = date.getUTCMonth() + 1;
    const d = date.getUTCDate();
    const key = `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
    if (holidays.has(key)) continue;
    for (const [s, e] of byDay[date.getUTCDay()]) {
      const start = localToInstant(y, m, d, s, cal.timeZone);
      const end = localToInstant(y, m, d, e, cal.timeZone);
      if (end > start) yield { start, end };
    }
  }
}

/** The instant `seconds` of business time after `from`. */
export function addBusinessSeconds(cal: BusinessCalendar, from: Date, seconds: number): Date {
  const t = from.getTime();
  let remaining = Math.max(0, seconds) * 1000;
  if (remaining === 0 || isAlwaysOpen(cal)) return new Date(t + remaining);
  for (const win of windows(cal, t)) {
    const start = Math.max(win.start, t);
    if (win.end <= start) continue;
    const available = win.end - start;
    if (remaining <= available) return new Date(start + remaining);
    remaining -= available;
  }
  // Holidays over every open day for three years: due at the end of that search, not never (and not a 500).
  return new Date(t + MAX_DAYS * 86_400_000);
}

/** Business seconds between two instants (0 when `to` is not after `from`). */
export function businessSecondsBetween(cal: BusinessCalendar, from: Date, to: Date): number {
  const a = from.getTime();
  const b = to.getTime();
  if (b <= a) return 0;
  if (isAlwaysOpen(cal)) return (b - a) / 1000;
  let total = 0;
  for (const win of windows(cal, a)) {
    if (win.start >= b) break;
    const start = Math.max(win.start, a);
    const end = Math.min(win.end, b);
    if (end > start) total += end - start;
  }
  return total / 1000;
}

export const alwaysOpen = (timeZone = 'UTC'): BusinessCalendar => ({
  timeZone,
  holidays: [],
  hours: Array.from({ length: 7 }, (_, day) => ({ day, start: '00:00', end: '24:00' })),
});

/** The shipped default: Monday to Friday, 09:00–17:00. */
export const officeHours = (timeZone = 'UTC'): BusinessCalendar => ({
  timeZone,
  holidays: [],
  hours: [1, 2, 3, 4, 5].map((day) => ({ day, start: '09:00', end: '17:00' })),
});

import { useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';

// One shared one-second tick for every countdown on the page, running only while one is shown.
const listeners = new Set<() => void>();
let now = Date.now();
let timer: ReturnType<typeof setInterval> | undefined;

function subscribe(fn: () => void) {
  listeners.add(fn);
  if (!timer) {
    now = Date.now();
    timer = setInterval(() => {
      now = Date.now();
      for (const l of listeners) l();
    }, 1000);
  }
  return () => {
    listeners.delete(fn);
    if (!listeners.size && timer) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

/** The current time in milliseconds, updated every second. */
export function useNow(): number {
  return useSyncExternalStore(subscribe, () => now);
}

type Part = { unit: 'day' | 'hour' | 'minute' | 'second'; value: number };

/** The two largest units of a length of time: "2d 4h", "3h 12m", "5m", "40s". */
function parts(seconds: number): Part[] {
  const s = Math.max(0, Math.floor(seconds));
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d) return h ? [{ unit: 'day', value: d }, { unit: 'hour', value: h }] : [{ unit: 'day', value: d }];
  if (h) return m ? [{ unit: 'hour', value: h }, { unit: 'minute', value: m }] : [{ unit: 'hour', value: h }];
  if (m) return [{ unit: 'minute', value: m }];
  return [{ unit: 'second', value: s }];
}

type DurationFormat = { format(d: Record<string, number>): string };
const durationCtor = (Intl as unknown as { DurationFormat?: new (lng: string, o: object) => DurationFormat }).DurationFormat;
const cache = new Map<string, DurationFormat | Intl.NumberFormat | Intl.ListFormat>();

/** A short length of time in the reader's language and digits (Intl.DurationFormat, or number units where missing). */
export function formatDuration(lng: string, seconds: number): string {
  const p = parts(seconds);
  // CLDR's narrow Persian units are Latin letters ("۴h"); the short ones read as Persian ("۴ ساعت").
  const style = lng === 'fa' ? 'short' : 'narrow';
  if (durationCtor) {
    let f = cache.get(`d:${lng}`) as DurationFormat | undefined;
    if (!f) cache.set(`d:${lng}`, (f = new durationCtor(lng, { style })));
    return f.format(Object.fromEntries(p.map((x) => [`${x.unit}s`, x.value])));
  }
  const unit = (u: string) => {
    let f = cache.get(`u:${lng}:${u}`) as Intl.NumberFormat | undefined;
    if (!f) cache.set(`u:${lng}:${u}`, (f = new Intl.NumberFormat(lng, { style: 'unit', unit: u, unitDisplay: style })));
    return f;
  };
  let list = cache.get(`l:${lng}`) as Intl.ListFormat | undefined;
  if (!list) cache.set(`l:${lng}`, (list = new Intl.ListFormat(lng, { style, type: 'unit' })));
  return list.format(p.map((x) => unit(x.unit).format(x.value)));
}

export function useDuration() {
  const { i18n } = useTranslation();
  return (seconds: number) => formatDuration(i18n.language, seconds);
}

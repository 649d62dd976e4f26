import { describe, expect, it } from 'vitest';
import { addBusinessSeconds, alwaysOpen, businessSecondsBetween, localToInstant, officeHours, type BusinessCalendar } from './business-time.js';

const H = 3600;
const at = (iso: string) => new Date(iso);

describe('business time on office hours (Mon–Fri 09–17)', () => {
  const utc = officeHours('UTC');

  it('counts within a day and carries over the night', () => {
    expect(addBusinessSeconds(utc, at('2026-11-24T10:00:00Z'), 4 * H).toISOString()).toBe('2026-11-24T14:00:00.000Z');
    // Tuesday 15:00 + 4 h = 2 h today, 2 h tomorrow from 09:00.
    expect(addBusinessSeconds(utc, at('2026-11-24T15:00:00Z'), 4 * H).toISOString()).toBe('2026-11-25T11:00:00.000Z');
    // Arriving at night starts the clock at opening.
    expect(addBusinessSeconds(utc, at('2026-11-24T22:30:00Z'), 4 * H).toISOString()).toBe('2026-11-25T13:00:00.000Z');
    expect(addBusinessSeconds(utc, at('2026-11-24T16:00:00Z'), 1 * H).toISOString()).toBe('2026-11-24T17:00:00.000Z');
  });

  it('skips the weekend', () => {
    // Friday 2026-11-20 16:00 + 4 h → Monday 12:00.
    expect(addBusinessSeconds(utc, at('2026-11-20T16:00:00Z'), 4 * H).toISOString()).toBe('2026-11-23T12:00:00.000Z');
    expect(addBusinessSeconds(utc, at('2026-11-21T11:00:00Z'), 30 * 60).toISOString()).toBe('2026-11-23T09:30:00.000Z');
    expect(businessSecondsBetween(utc, at('2026-11-20T16:00:00Z'), at('2026-11-23T12:00:00Z'))).toBe(4 * H);
  });

  it('skips holidays', () => {
    const cal: BusinessCalendar = { ...utc, holidays: ['2026-11-25', '2026-11-26'] };
    expect(addBusinessSeconds(cal, at('2026-11-24T15:00:00Z'), 4 * H).toISOString()).toBe('2026-11-27T11:00:00.000Z');
    expect(businessSecondsBetween(cal, at('2026-11-24T15:00:00Z'), at('2026-11-27T11:00:00Z'))).toBe(4 * H);
  });

  it('a calendar closed by holidays for three years gives a due time at the end of that search, not an error', () => {
    // Open Mondays only, and every Monday of the next four years a holiday.
    const mondays = Array.from({ length: 4 * 53 }, (_, i) => new Date(Date.UTC(2026, 10, 23 + 7 * i)).toISOString().slice(0, 10));
    const cal: BusinessCalendar = { timeZone: 'UTC', hours: [{ day: 1, start: '09:00', end: '17:00' }], holidays: mondays };
    const from = at('2026-11-24T10:00:00Z');
    expect(addBusinessSeconds(cal, from, H).getTime()).toBe(from.getTime() + 3 * 366 * 86_400_000);
    expect(businessSecondsBetween(cal, from, at('2031-01-01T00:00:00Z'))).toBe(0);
  });

  it('measures business time between instants, zero when reversed', () => {
    expect(businessSecondsBetween(utc, at('2026-11-24T08:00:00Z'), at('2026-11-24T18:00:00Z'))).toBe(8 * H);
    expect(businessSecondsBetween(utc, at('2026-11-24T12:00:00Z'), at('2026-11-24T11:00:00Z'))).toBe(0);
    // A full week holds 40 business hours.
    expect(businessSecondsBetween(utc, at('2026-11-23T00:00:00Z'), at('2026-11-30T00:00:00Z'))).toBe(40 * H);
  });

  it('adding then measuring gives back the same amount', () => {
    const cal: BusinessCalendar = { ...officeHours('Asia/Tehran'), holidays: ['2026-03-20'] };
    let from = at('2026-03-01T05:17:00Z');
    for (let i = 0; i < 40; i++) {
      const seconds = (i * 7919) % (30 * H);
      const due = addBusinessSeconds(cal, from, seconds);
      expect(businessSecondsBetween(cal, from, due)).toBe(seconds);
      from = new Date(from.getTime() + 11 * H * 1000 + 13 * 60_000);
    }
  });
});

describe('two time zones', () => {
  it('the same instant and target fall due at different instants per zone', () => {
    const start = at('2026-11-24T14:00:00Z'); // 17:00 in Moscow (closing), 09:00 in New York (opening)
    const moscow = addBusinessSeconds(officeHours('Europe/Moscow'), start, 2 * H);
    const newYork = addBusinessSeconds(officeHours('America/New_York'), start, 2 * H);
    expect(moscow.toISOString()).toBe('2026-11-25T08:00:00.000Z'); // 11:00 MSK next day
    expect(newYork.toISOString()).toBe('2026-11-24T16:00:00.000Z'); // 11:00 EST same day
  });

  it('a Friday evening in Tehran is still Friday afternoon in Los Angeles', () => {
    const start = at('2026-11-20T20:00:00Z');
    expect(addBusinessSeconds(officeHours('Asia/Tehran'), start, H).toISOString()).toBe('2026-11-23T06:30:00.000Z'); // Mon 10:00 +03:30
    expect(addBusinessSeconds(officeHours('America/Los_Angeles'), start, H).toISOString()).toBe('2026-11-20T21:00:00.000Z'); // 13:00 PST
  });
});

describe('daylight saving', () => {
  it('local opening hours follow the clock change (Berlin, 29 March 2026)', () => {
    const berlin = officeHours('Europe/Berlin');
    // Friday 27 March 16:00 CET (15:00Z) + 2 h → Monday 30 March 10:00 CEST (08:00Z).
    expect(addBusinessSeconds(berlin, at('2026-03-27T15:00:00Z'), 2 * H).toISOString()).toBe('2026-03-30T08:00:00.000Z');
    expect(localToInstant(2026, 3, 27, 9 * 60, 'Europe/Berlin')).toBe(Date.parse('2026-03-27T08:00:00Z'));
    expect(localToInstant(2026, 3, 30, 9 * 60, 'Europe/Berlin')).toBe(Date.parse('2026-03-30T07:00:00Z'));
  });

  it('a 24/7 calendar over the change night counts real elapsed time, not wall time', () => {
    const cal: BusinessCalendar = { ...alwaysOpen('America/New_York'), holidays: ['2026-12-25'] };
    // 8 March 2026, 02:00 local does not exist: the night from 00:00 to 06:00 lasts 5 real hours.
    const midnight = at('2026-03-08T05:00:00Z');
    expect(businessSecondsBetween(cal, midnight, at('2026-03-08T10:00:00Z'))).toBe(5 * H);
    expect(addBusinessSeconds(cal, midnight, 5 * H).toISOString()).toBe('2026-03-08T10:00:00.000Z');
  });

  it('hours that open inside the skipped hour open an hour later, as the clock jumped', () => {
    const cal: BusinessCalendar = { timeZone: 'America/New_York', holidays: [], hours: [{ day: 0, start: '02:30', end: '04:00' }] };
    // Sunday 8 March: 02:30 does not exist and reads as 03:30 EDT, so the window is 07:30–08:00Z.
    expect(businessSecondsBetween(cal, at('2026-03-08T00:00:00Z'), at('2026-03-09T00:00:00Z'))).toBe(30 * 60);
    expect(addBusinessSeconds(cal, at('2026-03-08T00:00:00Z'), 15 * 60).toISOString()).toBe('2026-03-08T07:45:00.000Z');
    // The autumn repeat of 01:30 means its first occurrence (EDT).
    expect(localToInstant(2026, 11, 1, 90, 'America/New_York')).toBe(Date.parse('2026-11-01T05:30:00Z'));
  });

  it('the autumn change gives a 25-hour day to a 24/7 calendar with a holiday', () => {
    const cal: BusinessCalendar = { ...alwaysOpen('Europe/Berlin'), holidays: ['2026-01-01'] };
    expect(businessSecondsBetween(cal, at('2026-10-24T22:00:00Z'), at('2026-10-25T23:00:00Z'))).toBe(25 * H);
  });
});

import { eq, or } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { teams } from '../teams/teams.table.js';
import { officeHours, type BusinessCalendar } from './business-time.js';
import { businessCalendars } from './sla.table.js';

/**
 * The calendar a team works to: its own, or the desk default read in the team's time zone.
 * Without a team: the default in its own zone (UTC when none is set).
 */
export async function calendarForTeam(tx: DbOrTx, teamId: string | null): Promise<BusinessCalendar> {
  const rows = await tx
    .select({ teamId: businessCalendars.teamId, timeZone: businessCalendars.timeZone, hours: businessCalendars.hours, holidays: businessCalendars.holidays })
    .from(businessCalendars)
    .where(teamId ? or(eq(businessCalendars.isDefault, true), eq(businessCalendars.teamId, teamId)) : eq(businessCalendars.isDefault, true));
  const own = teamId ? rows.find((r) => r.teamId === teamId) : undefined;
  const chosen = own ?? rows.find((r) => r.teamId === null);
  let zone = chosen?.timeZone ?? null;
  if (!zone && teamId) {
    const [team] = await tx.select({ timeZone: teams.timeZone }).from(teams).where(eq(teams.id, teamId));
    zone = team?.timeZone ?? null;
  }
  if (!chosen) return officeHours(zone ?? 'UTC');
  return { timeZone: zone ?? 'UTC', hours: chosen.hours, holidays: chosen.holidays };
}

/** Calendars looked up once per transaction. */
export function calendarCache(tx: DbOrTx) {
  const cache = new Map<string, Promise<BusinessCalendar>>();
  return (teamId: string | null) => {
    const key = teamId ?? '';
    let c = cache.get(key);
    if (!c) {
      c = calendarForTeam(tx, teamId);
      cache.set(key, c);
    }
    return c;
  };
}

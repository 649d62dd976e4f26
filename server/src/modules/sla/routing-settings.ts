import { asc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import type { AppContext } from '../../platform/context.js';
import { assignmentRules } from '../dispatch/dispatch.table.js';
import { teams } from '../teams/teams.table.js';
import { officeHours, type BusinessCalendar } from './business-time.js';
import { businessCalendars, slaPolicies } from './sla.table.js';

export type SlaPolicy = typeof slaPolicies.$inferSelect;
type CalendarRow = Pick<typeof businessCalendars.$inferSelect, 'teamId' | 'isDefault' | 'timeZone' | 'hours' | 'holidays'>;

/** What every ticket change consults: calendars, active policies in order, team tiers and zones, teams that auto-assign. */
export type RoutingSettings = {
  calendars: CalendarRow[];
  teams: Map<string, { tier: number | null; timeZone: string }>;
  policies: SlaPolicy[];
  autoAssignTeams: Set<string>;
};

async function load(db: DbOrTx): Promise<RoutingSettings> {
  const calendars = await db
    .select({ teamId: businessCalendars.teamId, isDefault: businessCalendars.isDefault, timeZone: businessCalendars.timeZone, hours: businessCalendars.hours, holidays: businessCalendars.holidays })
    .from(businessCalendars);
  const teamRows = await db.select({ id: teams.id, tier: teams.tier, timeZone: teams.timeZone }).from(teams);
  const policies = await db.select().from(slaPolicies).where(eq(slaPolicies.active, true)).orderBy(asc(slaPolicies.position), asc(slaPolicies.createdAt));
  const rules = await db.select({ teamId: assignmentRules.teamId }).from(assignmentRules).where(eq(assignmentRules.enabled, true));
  return {
    calendars,
    teams: new Map(teamRows.map((t) => [t.id, { tier: t.tier, timeZone: t.timeZone }])),
    policies,
    autoAssignTeams: new Set(rules.map((r) => r.teamId)),
  };
}

const rereadAt = new WeakMap<object, number>();

/**
 * The routing settings from the node's cache. A team the snapshot does not know (made on another
 * node a moment ago, or by a script) makes it read them again, at most once a second (a request
 * naming a team that does not exist must not make every request read them).
 */
export async function routingSettings(ctx: Pick<AppContext, 'settings'>, db: DbOrTx, teamIds: (string | null)[] = []): Promise<RoutingSettings> {
  const settings = await ctx.settings.get('routing', db, load);
  if (teamIds.every((id) => !id || settings.teams.has(id)) || Date.now() - (rereadAt.get(ctx.settings) ?? 0) < 1000) return settings;
  rereadAt.set(ctx.settings, Date.now());
  ctx.settings.forget();
  return ctx.settings.get('routing', db, load);
}

/** The calendar a team works to: its own, or the desk default read in the team's time zone; without a team, the default in its own zone (UTC when none). */
export function calendarOf(settings: RoutingSettings, teamId: string | null): BusinessCalendar {
  const own = teamId ? settings.calendars.find((c) => c.teamId === teamId) : undefined;
  const chosen = own ?? settings.calendars.find((c) => c.isDefault);
  const zone = chosen?.timeZone ?? (teamId ? settings.teams.get(teamId)?.timeZone : undefined) ?? 'UTC';
  if (!chosen) return officeHours(zone);
  return { timeZone: zone, hours: chosen.hours, holidays: chosen.holidays };
}

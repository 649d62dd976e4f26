import { and, sql } from 'drizzle-orm';
import type { AppContext } from '../../platform/context.js';
import { isStaff, type Actor } from '../../platform/permissions.js';
import { slaCounts } from './ticket-sla-list.js';
import { visibleTickets } from './tickets.policy.js';
import { tickets } from './tickets.table.js';

/** How far back "solved recently" looks. */
export const SOLVED_RECENTLY_DAYS = 7;

const active = sql`${tickets.status} not in ('solved', 'closed')`;

/**
 * The counts behind the agent's queue list, in one scan of the tickets the actor may see:
 * my open, unassigned, all open, solved recently, each team's open tickets, and
 * (from the SLA targets) open tickets at risk or breached.
 */
export async function ticketViewCounts(ctx: AppContext, actor: Actor) {
  const since = new Date(ctx.clock.now().getTime() - SOLVED_RECENTLY_DAYS * 86400_000).toISOString();
  const rows = await ctx.db
    .select({
      teamId: tickets.teamId,
      mine: sql<number>`count(*) filter (where ${active} and ${tickets.assigneeId} = ${actor.userId})`.mapWith(Number),
      unassigned: sql<number>`count(*) filter (where ${active} and ${tickets.assigneeId} is null)`.mapWith(Number),
      open: sql<number>`count(*) filter (where ${active})`.mapWith(Number),
      all: sql<number>`count(*)`.mapWith(Number),
      solvedRecently: sql<number>`count(*) filter (where ${tickets.status} in ('solved', 'closed') and ${tickets.updatedAt} >= ${since}::timestamptz)`.mapWith(Number),
    })
    .from(tickets)
    .where(and(visibleTickets(actor)))
    .groupBy(tickets.teamId);
  // Open tickets whose promises are at risk or broken: a second, small query driven by the SLA targets.
  const sla = await slaCounts(ctx.db, ctx.clock.now().toISOString(), and(active, visibleTickets(actor)), isStaff(actor));
  const sum = (k: 'mine' | 'unassigned' | 'open' | 'all' | 'solvedRecently') => rows.reduce((n, r) => n + r[k], 0);
  // Which team or agent holds a request is the desk's business: a customer's counts do not say.
  const staff = isStaff(actor);
  return {
    mine: staff ? sum('mine') : 0,
    unassigned: staff ? sum('unassigned') : 0,
    open: sum('open'),
    all: sum('all'),
    solvedRecently: sum('solvedRecently'),
    atRisk: sla.atRisk,
    breached: sla.breached,
    solvedSince: since,
    teams: staff ? Object.fromEntries(rows.filter((r) => r.teamId).map((r) => [r.teamId as string, r.open])) : {},
  };
}

import { and, eq, sql, type Placeholder, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { ticketSlaTargets } from '../sla/sla.table.js';
import { tickets } from './tickets.table.js';

export const slaSummaryStates = ['active', 'at_risk', 'paused', 'breached'] as const;
export type SlaSummaryState = (typeof slaSummaryStates)[number];
export type SlaSummary = { metric: string; dueAt: string | null; warnAt: string | null; state: SlaSummaryState } | null;

const s = ticketSlaTargets;
/** The present, as an ISO string or a placeholder of a statement built once. */
type Instant = string | Placeholder;
// Open: still running or paused, or breached and not yet met (a late answer keeps the state breached).
const open = sql`${s.state} in ('active', 'paused', 'breached') and ${s.metAt} is null`;

/**
 * A target's state as the queue shows it, read from the clock rather than from the timer jobs,
 * so a target past its due time reads as breached even before the breach job has run.
 */
function liveState(now: Instant): SQL<SlaSummaryState> {
  const at = sql`${now}::timestamptz`;
  return sql<SlaSummaryState>`case
    when ${s.state} = 'breached' or (${s.runningSince} is not null and ${s.dueAt} <= ${at}) then 'breached'
    when ${s.runningSince} is null then 'paused'
    when ${s.warnedAt} is not null or ${s.warnAtTime} <= ${at} then 'at_risk'
    else 'active' end`;
}

/**
 * The most urgent open target of each ticket (breached first, then at risk, then the soonest due),
 * as a lateral subquery: one index lookup per listed ticket, in the same query as the page.
 * Customers never see internal targets.
 */
export function nextSlaTarget(db: DbOrTx, now: Instant, staff: boolean) {
  const state = liveState(now);
  return db
    .select({ metric: sql<string>`${s.metric}`.as('next_metric'), dueAt: sql<string | null>`${s.dueAt}`.as('next_due_at'), warnAt: sql<string | null>`${s.warnAtTime}`.as('next_warn_at'), state: state.as('next_state') })
    .from(s)
    .where(and(eq(s.ticketId, tickets.id), open, staff ? undefined : eq(s.internal, false)))
    .orderBy(sql`case ${state} when 'breached' then 0 when 'at_risk' then 1 else 2 end`, sql`${s.dueAt} asc nulls last`, s.metric)
    .limit(1)
    .as('sla_next');
}

export type NextSlaTarget = ReturnType<typeof nextSlaTarget>;

/**
 * Tickets that may be in a state, found from the targets through their partial indexes, so the
 * Breached and At risk views do not compute the summary of every ticket; the summary's own state,
 * checked after, stays the rule.
 */
export function slaCandidates(state: 'at_risk' | 'breached', now: Instant): SQL {
  return sql`${tickets.id} in (select ${s.ticketId} from ${s} where ${candidateTargets(state, now)})`;
}

function candidateTargets(state: 'at_risk' | 'breached', now: Instant): SQL {
  const at = sql`${now}::timestamptz`;
  return state === 'breached'
    ? sql`${s.metAt} is null and (${s.state} = 'breached' or (${s.state} in ('active', 'breached') and ${s.dueAt} <= ${at}))`
    : sql`${s.metAt} is null and ${s.state} = 'active' and coalesce(${s.warnAtTime}, ${s.warnedAt}) <= ${at}`;
}

/** The list item's `sla` field. Timestamps come back from a subquery as PostgreSQL text. */
export function presentSlaSummary(r: { metric: string | null; dueAt: string | Date | null; warnAt: string | Date | null; state: SlaSummaryState | null }): SlaSummary {
  if (!r.metric || !r.state) return null;
  const iso = (d: string | Date | null) => (d ? new Date(d).toISOString() : null);
  // warnAt lets a client turn the badge orange on time without asking again.
  return { metric: r.metric, dueAt: iso(r.dueAt), warnAt: r.state === 'active' ? iso(r.warnAt) : null, state: r.state };
}

/**
 * Tickets with at least one breached open target, and those at risk but not breached, among `where`,
 * read from the candidate targets only. Customers' counts leave internal targets out, as their lists do.
 */
export async function slaCounts(db: DbOrTx, now: string, where: SQL | undefined, staff: boolean) {
  const state = liveState(now);
  const perTicket = db
    .select({
      breached: sql<boolean>`bool_or(${state} = 'breached')`.as('breached'),
      atRisk: sql<boolean>`bool_or(${state} = 'at_risk')`.as('at_risk'),
    })
    .from(s)
    .innerJoin(tickets, eq(tickets.id, s.ticketId))
    .where(and(sql`((${candidateTargets('breached', now)}) or (${candidateTargets('at_risk', now)}))`, staff ? undefined : eq(s.internal, false), where))
    .groupBy(s.ticketId)
    .as('per_ticket');
  const [row] = await db
    .select({
      breached: sql<number>`count(*) filter (where ${perTicket.breached})`.mapWith(Number),
      atRisk: sql<number>`count(*) filter (where not ${perTicket.breached} and ${perTicket.atRisk})`.mapWith(Number),
    })
    .from(perTicket);
  return { atRisk: row?.atRisk ?? 0, breached: row?.breached ?? 0 };
}

import { asc, eq, inArray } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { escalationsOf } from '../escalation/escalations.service.js';
import { slaMetrics, ticketSlaTargets } from './sla.table.js';

type Target = typeof ticketSlaTargets.$inferSelect;
const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** The state shown to people: warning is an active target past its warning share. */
export function targetState(t: Target): 'active' | 'warning' | 'paused' | 'met' | 'breached' | 'cancelled' {
  if (t.state === 'breached' || t.state === 'met' || t.state === 'cancelled') return t.state;
  if (!t.runningSince) return 'paused';
  return t.warnedAt ? 'warning' : 'active';
}

export function presentTarget(t: Target) {
  return {
    metric: t.metric,
    dueAt: iso(t.dueAt),
    state: targetState(t),
    targetSeconds: t.targetSeconds,
    businessHours: t.businessHours,
    /** Business seconds left while paused (the due time is unknown until the clock runs again). */
    remainingSeconds: t.runningSince ? null : Math.max(0, Math.round(t.targetSeconds - t.usedSeconds)),
    internal: t.internal,
    warnAt: iso(t.warnAtTime),
    warnedAt: iso(t.warnedAt),
    breachedAt: iso(t.breachedAt),
    metAt: iso(t.metAt),
  };
}

const order = (m: string) => slaMetrics.indexOf(m as (typeof slaMetrics)[number]);

/** A ticket's targets as its detail shows them: in metric order, internal ones for staff only. */
export function presentTargets(rows: Target[], staff: boolean) {
  return rows
    .filter((r) => staff || !r.internal)
    .sort((a, b) => order(a.metric) - order(b.metric))
    .map(presentTarget);
}

/**
 * What a ticket promises, for its detail view: targets (internal ones for staff only) and,
 * for staff, the latest escalation handoff so whoever picks it up reads it first.
 */
export async function ticketPromises(db: DbOrTx, ticketId: string, staff: boolean) {
  const rows = await db.select().from(ticketSlaTargets).where(eq(ticketSlaTargets.ticketId, ticketId)).orderBy(asc(ticketSlaTargets.startedAt));
  const sla = presentTargets(rows, staff);
  const escalation = staff ? ((await escalationsOf(db, [ticketId]))[0]?.view ?? null) : null;
  return { sla, escalation };
}

/** Targets of many tickets at once, for queues (one query, never per row). */
export async function targetsOfTickets(db: DbOrTx, ticketIds: string[], staff: boolean) {
  if (!ticketIds.length) return new Map<string, ReturnType<typeof presentTarget>[]>();
  const rows = await db.select().from(ticketSlaTargets).where(inArray(ticketSlaTargets.ticketId, ticketIds));
  const map = new Map<string, ReturnType<typeof presentTarget>[]>();
  for (const r of rows.sort((a, b) => order(a.metric) - order(b.metric))) {
    if (!staff && r.internal) continue;
    map.set(r.ticketId, [...(map.get(r.ticketId) ?? []), presentTarget(r)]);
  }
  return map;
}

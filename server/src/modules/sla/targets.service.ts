import crypto from 'node:crypto';
import { eq, inArray, and, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import type { AppContext } from '../../platform/context.js';
import { enqueueAll, type JobSpec } from '../../platform/jobs/jobs.js';
import { jobs } from '../../platform/jobs/jobs.table.js';
import { tickets } from '../tickets/tickets.table.js';
import { addBusinessSeconds, businessSecondsBetween, type BusinessCalendar } from './business-time.js';
import { matchPolicy } from './policies.service.js';
import { calendarOf, routingSettings, type SlaPolicy } from './routing-settings.js';
import { ticketSlaTargets, type SlaMetric, type SlaTargetSpec } from './sla.table.js';

type Ticket = typeof tickets.$inferSelect;
type Target = typeof ticketSlaTargets.$inferSelect;
type Working = Target & { isNew: boolean; changed: boolean; reschedule: boolean; oldGeneration: number | null };

/** What happened to a ticket: its row before (null when created) and after, and the message if one was added. */
export type TicketChange = { before: Ticket | null; after: Ticket; message?: { fromCustomer: boolean; internal: boolean } };

const startsWithTicket: SlaMetric[] = ['answer', 'callback', 'first_response', 'resolution'];
const answeredByReply: SlaMetric[] = ['answer', 'callback', 'first_response', 'next_response'];
const isClosed = (status: string) => status === 'solved' || status === 'closed';
export const isDone = (r: Pick<Target, 'state' | 'metAt'>) => r.state === 'met' || r.state === 'cancelled' || r.metAt !== null;
export const timerKey = (id: string, generation: number, kind: 'warn' | 'breach') => `sla:${id}:${generation}:${kind}`;

function elapsed(r: Target, cal: BusinessCalendar, now: Date): number {
  if (!r.runningSince) return 0;
  return r.businessHours ? businessSecondsBetween(cal, r.runningSince, now) : Math.max(0, (now.getTime() - r.runningSince.getTime()) / 1000);
}

function later(r: Target, cal: BusinessCalendar, seconds: number): Date {
  const from = r.runningSince!;
  return r.businessHours ? addBusinessSeconds(cal, from, seconds) : new Date(from.getTime() + Math.max(0, seconds) * 1000);
}

/** Due and warning instants from the business seconds already used and the instant the clock last started. */
function computeDue(r: Working, cal: BusinessCalendar) {
  if (!r.runningSince || isDone(r)) {
    r.warnAtTime = null;
    if (!isDone(r)) r.dueAt = null;
    return;
  }
  r.dueAt = later(r, cal, r.targetSeconds - r.usedSeconds);
  const toWarning = r.targetSeconds * r.warnShare - r.usedSeconds;
  r.warnAtTime = r.warnedAt || r.breachedAt ? null : toWarning <= 0 ? r.runningSince : later(r, cal, toWarning);
}

/**
 * Brings a ticket's SLA targets up to date with one change, in the caller's transaction (the
 * ticket row is already locked), and reschedules only the timers of targets that moved.
 * Work is bounded by the handful of targets of this ticket, whatever the number of tickets.
 */
export async function syncSlaTargets(ctx: AppContext, tx: DbOrTx, change: TicketChange): Promise<void> {
  const plan = await planSlaTargets(ctx, tx, change);
  await persist(tx, plan.changed);
  if (plan.dueAt?.getTime() !== change.after.slaDueAt?.getTime()) {
    await tx.update(tickets).set({ slaDueAt: plan.dueAt }).where(eq(tickets.id, change.after.id));
  }
}

/**
 * The targets one change touches, worked out but not yet written, and the ticket's next due time
 * after it: the earliest due of its open targets (the queue's "due first" sort reads it from the ticket).
 */
export async function planSlaTargets(ctx: AppContext, tx: DbOrTx, change: TicketChange): Promise<{ changed: SlaTargetChange[]; dueAt: Date | null }> {
  const { before, after, message } = change;
  const now = ctx.clock.now();
  const settings = await routingSettings(ctx, tx, [after.teamId, before?.teamId ?? null]);
  const cal = calendarOf(settings, after.teamId);
  const teamChanged = !!before && before.teamId !== after.teamId;
  const oldCal = teamChanged ? calendarOf(settings, before!.teamId) : cal;

  const existing = before ? await tx.select().from(ticketSlaTargets).where(eq(ticketSlaTargets.ticketId, after.id)) : [];
  const rows = new Map<SlaMetric, Working>(
    existing.map((r) => [r.metric, { ...r, isNew: false, changed: false, reschedule: false, oldGeneration: r.generation }]),
  );
  let policy: SlaPolicy | null | undefined;
  const getPolicy = async () => (policy === undefined ? (policy = await matchPolicy(tx, settings.policies, after)) : policy);
  const specFor = async (metric: SlaMetric) => (await getPolicy())?.targets.find((t) => t.metric === metric);

  const touch = (r: Working, reschedule = true) => {
    r.changed = true;
    if (reschedule) r.reschedule = true;
  };
  const checkpoint = (r: Working, on: BusinessCalendar) => {
    if (!r.runningSince) return;
    r.usedSeconds += elapsed(r, on, now);
    r.runningSince = now;
  };
  const start = (spec: SlaTargetSpec, at: Date) => {
    const prior = rows.get(spec.metric);
    const r: Working = {
      id: prior?.id ?? crypto.randomUUID(),
      ticketId: after.id,
      metric: spec.metric,
      policyId: policy?.id ?? null,
      state: 'active',
      targetSeconds: spec.seconds,
      businessHours: spec.businessHours,
      warnShare: policy?.warnAt ?? 0.75,
      usedSeconds: 0,
      runningSince: at,
      startedAt: at,
      pausedAt: null,
      dueAt: null,
      warnAtTime: null,
      warnedAt: null,
      breachedAt: null,
      metAt: null,
      generation: prior?.generation ?? 0,
      internal: spec.metric === 'tier2',
      isNew: !prior,
      changed: true,
      reschedule: true,
      oldGeneration: prior?.oldGeneration ?? null,
    };
    computeDue(r, cal);
    rows.set(spec.metric, r);
  };
  const meet = (r: Working | undefined) => {
    if (!r || isDone(r)) return;
    checkpoint(r, cal);
    r.runningSince = null;
    r.metAt = now;
    if (r.state !== 'breached') r.state = 'met';
    r.warnAtTime = null;
    touch(r);
  };
  const cancel = (r: Working) => {
    if (isDone(r)) return;
    checkpoint(r, cal);
    r.runningSince = null;
    r.state = 'cancelled';
    r.warnAtTime = null;
    touch(r);
  };

  if (!before) {
    const p = await getPolicy();
    for (const spec of p?.targets ?? []) if (startsWithTicket.includes(spec.metric)) start(spec, after.createdAt);
  }

  if (message && !message.internal) {
    if (!message.fromCustomer) for (const m of answeredByReply) meet(rows.get(m));
    else if (after.firstResponseAt) {
      // The customer wrote after we answered: the next response is owed from now.
      const nr = rows.get('next_response');
      const spec = !nr || isDone(nr) ? await specFor('next_response') : undefined;
      if (spec) start(spec, now);
    }
  }
  // An agent taking the ticket answers the call (a call logged by the agent who took it is answered).
  if (after.assigneeId && (!before || !before.assigneeId)) meet(rows.get('answer'));

  const policyFields = !!before && (['channel', 'priority', 'category', 'teamId'] as const).some((f) => before[f] !== after[f]);
  if (before && (policyFields || before.tags.join('\u0000') !== after.tags.join('\u0000'))) {
    const p = await getPolicy();
    for (const r of rows.values()) {
      if (isDone(r)) continue;
      const spec = p?.targets.find((t) => t.metric === r.metric);
      if (!spec) {
        cancel(r);
        continue;
      }
      if (spec.seconds === r.targetSeconds && spec.businessHours === r.businessHours && (p?.warnAt ?? 0.75) === r.warnShare) continue;
      checkpoint(r, oldCal);
      Object.assign(r, { targetSeconds: spec.seconds, businessHours: spec.businessHours, warnShare: p?.warnAt ?? 0.75, policyId: p?.id ?? null });
      computeDue(r, cal);
      touch(r);
    }
    for (const spec of p?.targets ?? []) {
      if (rows.has(spec.metric) || !startsWithTicket.includes(spec.metric) || isClosed(after.status)) continue;
      if (spec.metric !== 'resolution' && (after.firstResponseAt || (spec.metric === 'answer' && after.assigneeId))) continue;
      start(spec, after.createdAt);
    }
  }

  if (teamChanged) {
    // Time so far counts on the old team's calendar; what is left, on the new one.
    for (const r of rows.values()) {
      if (isDone(r) || !r.runningSince || r.isNew) continue;
      checkpoint(r, oldCal);
      computeDue(r, cal);
      touch(r);
    }
  }

  if (!before || teamChanged) {
    const tier = after.teamId ? settings.teams.get(after.teamId)?.tier : null;
    const t2 = rows.get('tier2');
    if (tier === 2 && !isClosed(after.status)) {
      const spec = !t2 || isDone(t2) || teamChanged ? await specFor('tier2') : undefined;
      if (spec && (!t2 || isDone(t2))) start(spec, now);
    } else if (t2) meet(t2);
  }

  const prev = before?.status ?? 'new';
  if (prev !== after.status) {
    if (isClosed(after.status)) {
      for (const r of rows.values()) (r.metric === 'resolution' || r.metric === 'tier2' ? meet(r) : cancel(r));
    } else if (after.status === 'pending') {
      // Waiting on the customer: every clock stops.
      for (const r of rows.values()) {
        if (isDone(r) || !r.runningSince) continue;
        checkpoint(r, cal);
        r.runningSince = null;
        r.pausedAt = now;
        if (r.state === 'active') r.state = 'paused';
        computeDue(r, cal);
        touch(r);
      }
    } else {
      for (const r of rows.values()) {
        const reopened = isClosed(prev) && r.metric === 'resolution' && r.metAt !== null;
        if (reopened) {
          r.metAt = null;
          r.state = r.breachedAt ? 'breached' : 'active';
        }
        if (isDone(r) || r.runningSince) continue;
        r.runningSince = now;
        r.pausedAt = null;
        if (r.state === 'paused') r.state = 'active';
        computeDue(r, cal);
        touch(r);
      }
    }
  }

  const due = [...rows.values()].filter((r) => !isDone(r) && r.dueAt).map((r) => r.dueAt!.getTime());
  return { changed: [...rows.values()].filter((r) => r.changed), dueAt: due.length ? new Date(Math.min(...due)) : null };
}

export type SlaTargetChange = Working;

/** A changed target as its row, and the warning and breach timers it needs (a new generation when rescheduled). */
function written(r: Working): { row: Target; timers: JobSpec[] } {
  if (r.reschedule && r.oldGeneration !== null) r.generation = r.oldGeneration + 1;
  const { isNew: _n, changed: _c, reschedule: _r, oldGeneration: _o, ...row } = r;
  const timers: JobSpec[] = [];
  if (r.reschedule && !isDone(r) && r.runningSince) {
    const payload = { targetId: r.id, generation: r.generation };
    if (r.warnAtTime && !r.warnedAt) timers.push({ name: 'sla.warn', payload, runAt: r.warnAtTime, dedupeKey: timerKey(r.id, r.generation, 'warn') });
    if (r.dueAt && !r.breachedAt) timers.push({ name: 'sla.breach', payload, runAt: r.dueAt, dedupeKey: timerKey(r.id, r.generation, 'breach') });
  }
  return { row, timers };
}

/** The targets of a ticket being created, as rows to insert and the timers to queue with them. */
export function newTargetRows(changed: SlaTargetChange[]): { rows: Target[]; timers: JobSpec[] } {
  if (changed.some((r) => !r.isNew)) throw new Error('newTargetRows: only for a ticket being created');
  const out = changed.map(written);
  return { rows: out.map((o) => o.row), timers: out.flatMap((o) => o.timers) };
}

async function persist(tx: DbOrTx, changed: Working[]) {
  if (!changed.length) return;
  const stale = changed.filter((r) => r.reschedule && r.oldGeneration !== null).flatMap((r) => [timerKey(r.id, r.oldGeneration!, 'warn'), timerKey(r.id, r.oldGeneration!, 'breach')]);
  if (stale.length) await tx.delete(jobs).where(and(inArray(jobs.dedupeKey, stale), sql`${jobs.status} = 'pending'`));
  const timers: JobSpec[] = [];
  for (const r of changed) {
    const { row, timers: own } = written(r);
    if (r.isNew) await tx.insert(ticketSlaTargets).values(row);
    else await tx.update(ticketSlaTargets).set(row).where(eq(ticketSlaTargets.id, r.id));
    timers.push(...own);
  }
  await enqueueAll(tx, timers);
}

import type { DbOrTx } from '../../db/client.js';
import type { AppContext } from '../../platform/context.js';
import { enqueueAll, type JobSpec } from '../../platform/jobs/jobs.js';
import type { tickets } from '../tickets/tickets.table.js';
import { dispatchJobs } from '../dispatch/dispatch.triggers.js';
import { customerNoticeJobs } from '../escalation/close-loop.jobs.js';
import { keepFollowUps } from '../escalation/follow-ups.service.js';
import { newTargetRows, planSlaTargets, syncSlaTargets, type TicketChange } from './targets.service.js';

type Ticket = typeof tickets.$inferSelect;

/**
 * What follows a ticket change, run by the ticket services inside their transaction: SLA
 * targets and timers, auto-assignment, kept follow-up promises, telling the customer when solved.
 */
async function afterChange(ctx: AppContext, tx: DbOrTx, change: TicketChange) {
  await syncSlaTargets(ctx, tx, change);
  const now = ctx.clock.now();
  await enqueueAll(tx, [...(await dispatchJobs(ctx, tx, change, now)), ...customerNoticeJobs(change, now)]);
  if (change.message && !change.message.internal && !change.message.fromCustomer) await keepFollowUps(ctx, tx, change.after);
}

/**
 * What follows the creation of `ticket` (the row about to be inserted), worked out without writing:
 * its SLA targets, its next due time and the jobs to queue (timers, auto-assignment), for a statement that writes them with the ticket.
 */
export async function planTicketCreated(ctx: AppContext, db: DbOrTx, ticket: Ticket) {
  const change: TicketChange = { before: null, after: ticket };
  const plan = await planSlaTargets(ctx, db, change);
  const { rows, timers } = newTargetRows(plan.changed);
  const now = ctx.clock.now();
  const jobs: JobSpec[] = [...timers, ...(await dispatchJobs(ctx, db, change, now)), ...customerNoticeJobs(change, now)];
  return { targets: rows, jobs, slaDueAt: plan.dueAt };
}

export const onTicketChanged = (ctx: AppContext, tx: DbOrTx, before: Ticket, after: Ticket) => afterChange(ctx, tx, { before, after });

export const onMessageAdded = (ctx: AppContext, tx: DbOrTx, before: Ticket, after: Ticket, message: { fromCustomer: boolean; internal: boolean }) =>
  afterChange(ctx, tx, { before, after, message });

import type { DbOrTx } from '../../db/client.js';
import type { AppContext } from '../../platform/context.js';
import type { tickets } from '../tickets/tickets.table.js';
import { scheduleDispatch } from '../dispatch/dispatch.triggers.js';
import { enqueueCustomerNotice } from '../escalation/close-loop.jobs.js';
import { keepFollowUps } from '../escalation/follow-ups.service.js';
import { syncSlaTargets, type TicketChange } from './targets.service.js';

type Ticket = typeof tickets.$inferSelect;

/**
 * What follows a ticket change, run by the ticket services inside their transaction: SLA
 * targets and timers, auto-assignment, kept follow-up promises, telling the customer when solved.
 */
async function afterChange(ctx: AppContext, tx: DbOrTx, change: TicketChange) {
  await syncSlaTargets(ctx, tx, change);
  await scheduleDispatch(tx, change, ctx.clock.now());
  if (change.message && !change.message.internal && !change.message.fromCustomer) await keepFollowUps(ctx, tx, change.after);
  await enqueueCustomerNotice(tx, change, ctx.clock.now());
}

export const onTicketCreated = (ctx: AppContext, tx: DbOrTx, ticket: Ticket) => afterChange(ctx, tx, { before: null, after: ticket });

export const onTicketChanged = (ctx: AppContext, tx: DbOrTx, before: Ticket, after: Ticket) => afterChange(ctx, tx, { before, after });

export const onMessageAdded = (ctx: AppContext, tx: DbOrTx, before: Ticket, after: Ticket, message: { fromCustomer: boolean; internal: boolean }) =>
  afterChange(ctx, tx, { before, after, message });

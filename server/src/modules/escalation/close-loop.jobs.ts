import { and, desc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import type { AppContext } from '../../platform/context.js';
import { recordTicketEvent } from '../../platform/events.js';
import type { JobSpec } from '../../platform/jobs/jobs.js';
import type { JobHandlers } from '../../platform/jobs/runner.js';
import type { TicketChange } from '../sla/targets.service.js';
import { outboundEmails } from '../email/email.table.js';
import { tickets } from '../tickets/tickets.table.js';

/** Sends the customer the news through their channel. Set by the email channel when it exists. */
export type CustomerNotifier = (ctx: AppContext, tx: DbOrTx, notice: { ticketId: string; reason: 'solved' }) => Promise<{ sent: boolean; via: string } | null>;
/**
 * Email: the email channel queues its "resolved" notice (in the customer's language) in the very
 * transaction that solved the ticket; this finds it, so the history says how the customer was told.
 */
const emailNotice: CustomerNotifier = async (_ctx, tx, notice) => {
  // Any ticket with mail gets the notice by mail, whatever its channel (mail merged into a phone ticket).
  const [mail] = await tx
    .select({ id: outboundEmails.id, status: outboundEmails.status })
    .from(outboundEmails)
    .where(and(eq(outboundEmails.ticketId, notice.ticketId), eq(outboundEmails.kind, 'resolved')))
    .orderBy(desc(outboundEmails.createdAt))
    .limit(1);
  return mail ? { sent: mail.status === 'sent', via: 'email' } : null;
};
const notifiers: CustomerNotifier[] = [emailNotice];

/** The hook for channels: the first notifier that answers for a ticket sends the notice. */
export function registerCustomerNotifier(notifier: CustomerNotifier) {
  notifiers.push(notifier);
}

/** When a ticket becomes solved, the customer is told after commit, by a durable job. */
export function customerNoticeJobs({ before, after }: TicketChange, now: Date): JobSpec[] {
  if (after.status !== 'solved' || before?.status === 'solved' || after.mergedIntoId) return [];
  return [{ name: 'customer.notify', payload: { ticketId: after.id, reason: 'solved' }, runAt: now, dedupeKey: `notify:solved:${after.id}:${after.version}` }];
}

export function closeLoopJobs(ctx: AppContext): JobHandlers {
  return {
    'customer.notify': async (p: { ticketId: string; reason: 'solved' }) => {
      await ctx.db.transaction(async (tx) => {
        const [t] = await tx.select().from(tickets).where(eq(tickets.id, p.ticketId)).for('update');
        // Reopened before the job ran: nothing to announce.
        if (!t || t.status !== 'solved') return;
        let result: { sent: boolean; via: string } | null = null;
        // Chat and portal notices plug in here through registerCustomerNotifier; until then the
        // event itself (pushed over the realtime socket to the customer) is the notice.
        for (const n of notifiers) {
          result = await n(ctx, tx, { ticketId: t.id, reason: p.reason });
          if (result) break;
        }
        await recordTicketEvent(
          tx,
          { ticketId: t.id, teamId: t.teamId, assigneeId: t.assigneeId, requesterId: t.requesterId },
          {
            type: 'customer.notified',
            at: ctx.clock.now(),
            data: { reason: p.reason, channel: t.channel, via: result?.via ?? 'event', sent: result?.sent ?? false },
          },
        );
      });
    },
  };
}

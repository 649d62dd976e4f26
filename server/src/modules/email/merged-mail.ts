import { eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import type { EventScope, TicketEventInput } from '../../platform/events.js';
import { emailMessages, outboundEmails } from './email.table.js';

/**
 * A merge moves the messages; their mail follows them, so the surviving ticket's replies thread
 * under the newest mail of both (In-Reply-To, References), leave from the mailbox it came to, and
 * stay copied to everyone copied on either ticket; the mail view shows every reply's delivery.
 */
export async function moveMailOnMerge(tx: DbOrTx, scope: EventScope, e: TicketEventInput) {
  const from = e.data?.from;
  if (e.type !== 'ticket.merge_received' || typeof from !== 'string') return;
  await tx.update(emailMessages).set({ ticketId: scope.ticketId }).where(eq(emailMessages.ticketId, from));
  // The outbox too: each moved reply keeps its delivery on the ticket that shows it.
  await tx.update(outboundEmails).set({ ticketId: scope.ticketId }).where(eq(outboundEmails.ticketId, from));
  await tx.execute(sql`
    insert into ticket_participants (ticket_id, email, name, created_at)
    select ${scope.ticketId}, email, name, created_at from ticket_participants where ticket_id = ${from}
    on conflict do nothing`);
}

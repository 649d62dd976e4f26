import { eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { EVENTS_CHANNEL, type PublishedEvent } from '../../platform/events.js';
import { tickets } from '../tickets/tickets.table.js';
import type { DeliveryState } from './delivery.queries.js';

/**
 * Tells the ticket's viewers that a reply's delivery changed, so the thread refreshes. Staff only
 * (`internal`), and not a history row: each attempt of each reply would crowd the timeline
 * (a final failure is recorded there as `email.send_failed`).
 */
export async function publishDelivery(db: DbOrTx, d: { ticketId: string; messageId: string | null; outboundId: string; state: DeliveryState; at: Date }) {
  if (!d.messageId) return;
  const [t] = await db.select({ teamId: tickets.teamId, assigneeId: tickets.assigneeId, requesterId: tickets.requesterId }).from(tickets).where(eq(tickets.id, d.ticketId));
  if (!t) return;
  const event: PublishedEvent = {
    id: 0,
    type: 'message.delivery',
    ticketId: d.ticketId,
    ...t,
    internal: true,
    at: d.at.toISOString(),
    data: { messageId: d.messageId, outboundId: d.outboundId, state: d.state },
  };
  await db.execute(sql`select pg_notify(${EVENTS_CHANNEL}, ${JSON.stringify(event)})`);
}

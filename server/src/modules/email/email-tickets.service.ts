import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { recordTicketEvent } from '../../platform/events.js';
import { limits } from '../../../../common/enums.js';
import { attachFiles, type StoredFile } from '../tickets/attachments.service.js';
import { scopeOf, statusStamps } from '../tickets/tickets.service.js';
import { messages, tickets } from '../tickets/tickets.table.js';

type TicketRow = typeof tickets.$inferSelect;
type Status = TicketRow['status'];

export type EmailMessageInput = {
  customerId: string;
  body: string;
  files: StoredFile[];
  at: Date;
};

const clip = (s: string, n: number) => (s.length > n ? s.slice(0, n) : s);

/** Opens a ticket from a customer's email: the customer's words are its first message. */
export async function createTicketFromEmail(
  tx: DbOrTx,
  input: EmailMessageInput & { subject: string; teamId: string | null; followUpOf?: TicketRow | null },
) {
  const [ticket] = await tx
    .insert(tickets)
    .values({
      subject: clip(input.subject || '(no subject)', limits.subject),
      channel: 'email',
      status: 'new',
      priority: 'normal',
      teamId: input.teamId,
      requesterId: input.customerId,
      messageCount: 1,
      lastMessageAt: input.at,
      createdAt: input.at,
      updatedAt: input.at,
    })
    .returning();
  const [message] = await tx
    .insert(messages)
    .values({ ticketId: ticket.id, authorKind: 'customer', authorCustomerId: input.customerId, channel: 'email', body: clip(input.body, limits.body), createdAt: input.at })
    .returning({ id: messages.id });
  const files = await attachFiles(tx, ticket.id, message.id, input.files);
  await recordTicketEvent(tx, scopeOf(ticket), {
    type: 'ticket.created',
    actorCustomerId: input.customerId,
    at: input.at,
    data: {
      number: ticket.number,
      channel: 'email',
      status: ticket.status,
      priority: ticket.priority,
      messageId: message.id,
      ...(input.followUpOf ? { followUpOf: { id: input.followUpOf.id, number: input.followUpOf.number } } : {}),
    },
  });
  if (input.followUpOf) {
    await recordTicketEvent(tx, scopeOf(input.followUpOf), {
      type: 'ticket.follow_up_created',
      actorCustomerId: input.customerId,
      at: input.at,
      data: { followUp: { id: ticket.id, number: ticket.number } },
    });
  }
  return { ticket, messageId: message.id, files };
}

/** What a customer's reply does to the status: a solved (or, when configured, closed) ticket opens again. */
function statusAfterCustomerReply(current: Status): Status {
  return current === 'pending' || current === 'solved' || current === 'closed' ? 'open' : current;
}

/** Adds a customer's emailed reply to a ticket that the caller has locked. */
export async function appendEmailMessage(tx: DbOrTx, current: TicketRow, input: EmailMessageInput) {
  const [message] = await tx
    .insert(messages)
    .values({ ticketId: current.id, authorKind: 'customer', authorCustomerId: input.customerId, channel: 'email', body: clip(input.body, limits.body), createdAt: input.at })
    .returning({ id: messages.id, authorKind: messages.authorKind });
  const files = await attachFiles(tx, current.id, message.id, input.files);
  const status = statusAfterCustomerReply(current.status);
  const [updated] = await tx
    .update(tickets)
    .set({
      status,
      ...statusStamps(status, current, input.at),
      messageCount: current.messageCount + 1,
      lastMessageAt: input.at,
      version: current.version + 1,
      updatedAt: input.at,
    })
    .where(eq(tickets.id, current.id))
    .returning();
  await recordTicketEvent(tx, scopeOf(updated), {
    type: 'message.added',
    actorCustomerId: input.customerId,
    at: input.at,
    data: { messageId: message.id, internal: false, authorKind: 'customer', channel: 'email' },
  });
  if (status !== current.status) {
    await recordTicketEvent(tx, scopeOf(updated), {
      type: 'ticket.status_changed',
      actorCustomerId: input.customerId,
      at: input.at,
      data: { field: 'status', from: current.status, to: status, reason: 'customer_replied' },
    });
  }
  return { ticket: updated, messageId: message.id, files };
}

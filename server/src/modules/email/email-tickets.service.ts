import crypto from 'node:crypto';
import { eq, sql, type WithSubquery } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import type { AppContext } from '../../platform/context.js';
import { recordTicketEvent, runTicketEventHooks } from '../../platform/events.js';
import { planTicketCreated } from '../sla/ticket-lifecycle.js';
import { draftTicket, insertNewTicket } from '../tickets/ticket-insert.js';
import { limits } from '../../../../common/enums.js';
import type { StoredFile } from '../tickets/attachments.service.js';
import { scopeOf, statusStamps } from '../tickets/tickets.service.js';
import { attachments, messages, tickets } from '../tickets/tickets.table.js';
import { baseSubject } from './threading.js';

type TicketRow = typeof tickets.$inferSelect;
type Status = TicketRow['status'];

export type EmailMessageInput = {
  customerId: string;
  body: string;
  files: StoredFile[];
  at: Date;
};

const clip = (s: string, n: number) => (s.length > n ? s.slice(0, n) : s);

/**
 * The customer's message and its files, as CTEs to put in front of the ticket insert or update:
 * ids are chosen here, so ticket, message and files go in one statement (one round trip).
 * Foreign keys are checked at the end of the statement, when all three rows exist.
 */
function messageWrites(tx: DbOrTx, ticketId: string, input: EmailMessageInput) {
  const messageId = crypto.randomUUID();
  const files = input.files.map((f) => ({ ...f, id: crypto.randomUUID(), ticketId, messageId }));
  const message = tx
    .insert(messages)
    .values({ id: messageId, ticketId, authorKind: 'customer', authorCustomerId: input.customerId, channel: 'email', body: clip(input.body, limits.body), createdAt: input.at });
  const ctes: WithSubquery[] = [tx.$with('new_message', {}).as(sql`${message.getSQL()}`)];
  if (files.length) ctes.push(tx.$with('new_files', {}).as(sql`${tx.insert(attachments).values(files).getSQL()}`));
  return { messageId, files, ctes };
}

/**
 * Opens a ticket from a customer's email: the customer's words are its first message. Written like
 * any new ticket (one statement with its history, SLA targets and follow-up jobs): see ticket-insert.ts.
 */
export async function createTicketFromEmail(
  ctx: AppContext,
  tx: DbOrTx,
  input: EmailMessageInput & { subject: string; teamId: string | null; followUpOf?: TicketRow | null },
) {
  const fields = { subject: clip(baseSubject(input.subject) || '(no subject)', limits.subject), channel: 'email' as const, status: 'new' as const, priority: 'normal' as const };
  const t = draftTicket({ ...fields, category: null, tags: [], teamId: input.teamId, assigneeId: null, body: clip(input.body, limits.body) }, { id: input.customerId }, input.at);
  // Ids chosen here, so inline images can point at their attachments before anything is written.
  const files = input.files.map((f) => ({ ...f, id: crypto.randomUUID(), ticketId: t.id, messageId: t.messageId }));
  const followUpOf = input.followUpOf ? { followUpOf: { id: input.followUpOf.id, number: input.followUpOf.number } } : {};
  const event = { actorCustomerId: input.customerId, data: { channel: 'email', status: t.status, priority: t.priority, messageId: t.messageId, ...followUpOf } };
  const inserted = await insertNewTicket(tx, t, files, event, await planTicketCreated(ctx, tx, { ...t, number: 0, search: null }));
  if (!inserted) throw new Error('the new ticket was refused: its team or customer is gone');
  const ticket = inserted.joined.ticket as TicketRow;
  await runTicketEventHooks(tx, scopeOf(ticket), { ...event, type: 'ticket.created', at: input.at, data: { ...event.data, number: ticket.number } });
  if (input.followUpOf) {
    await recordTicketEvent(tx, scopeOf(input.followUpOf), {
      type: 'ticket.follow_up_created',
      actorCustomerId: input.customerId,
      at: input.at,
      data: { followUp: { id: ticket.id, number: ticket.number } },
    });
  }
  return { ticket, messageId: t.messageId, files };
}

/**
 * What a customer's reply does to the status: a solved (or, when configured, closed) ticket opens
 * again. An automatic answer (out of office, Auto-Submitted) changes nothing: no person wrote it.
 */
function statusAfterCustomerReply(current: Status, automated: boolean): Status {
  if (automated) return current;
  return current === 'pending' || current === 'solved' || current === 'closed' ? 'open' : current;
}

/** Adds a customer's emailed reply to a ticket that the caller has locked. */
export async function appendEmailMessage(tx: DbOrTx, current: TicketRow, input: EmailMessageInput & { automated?: boolean }) {
  const { messageId, files, ctes } = messageWrites(tx, current.id, input);
  const message = { id: messageId };
  const status = statusAfterCustomerReply(current.status, input.automated ?? false);
  const [updated] = await tx
    .with(...ctes)
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

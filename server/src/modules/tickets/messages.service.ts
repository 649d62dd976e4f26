import { eq } from 'drizzle-orm';
import type { AppContext } from '../../platform/context.js';
import { conflict } from '../../platform/errors.js';
import { recordTicketEvent } from '../../platform/events.js';
import { isStaff, type Actor } from '../../platform/permissions.js';
import { onMessageAdded } from '../sla/ticket-lifecycle.js';
import { attachFiles, storeFiles, withFiles } from './attachments.service.js';
import { assertCanChange, assertCanWrite } from './tickets.policy.js';
import type { AddMessageInput } from './tickets.schema.js';
import { lockTicket, scopeOf, statusStamps } from './tickets.service.js';
import { messages, tickets } from './tickets.table.js';

type Status = (typeof tickets.$inferSelect)['status'];

/** What a message does to the ticket's status when none is asked for. */
function nextStatus(current: Status, fromCustomer: boolean, internal: boolean): Status {
  if (internal) return current;
  if (fromCustomer) return current === 'pending' || current === 'solved' ? 'open' : current;
  return current === 'new' ? 'open' : current;
}

export async function addMessage(ctx: AppContext, actor: Actor, ticketId: string, input: AddMessageInput) {
  assertCanWrite(actor, input.internal);
  if (input.status) assertCanChange(actor, ['status']);
  const files = await storeFiles(ctx, input.attachments);
  const now = ctx.clock.now();
  const staff = isStaff(actor);
  return withFiles(ctx, files, () =>
    ctx.db.transaction(async (tx) => {
      const current = await lockTicket(tx, actor, ticketId);
      if (current.mergedIntoId) throw conflict('ticket_merged', 'This ticket was merged into another; write there');
      if (current.status === 'closed' && !input.internal) {
        throw conflict('ticket_closed', 'This ticket is closed; open a new request instead');
      }
      const [message] = await tx
        .insert(messages)
        .values({
          ticketId,
          internal: input.internal,
          authorKind: staff ? 'agent' : 'customer',
          authorUserId: staff ? actor.userId : null,
          authorCustomerId: staff ? null : actor.customerId,
          channel: staff ? current.channel : 'portal',
          body: input.body,
          createdAt: now,
        })
        .returning();
      await attachFiles(tx, ticketId, message.id, files);
      const status = input.status ?? nextStatus(current.status, !staff, input.internal);
      const firstResponse = staff && !input.internal && !current.firstResponseAt ? now : current.firstResponseAt;
      const [updated] = await tx
        .update(tickets)
        .set({
          status,
          ...statusStamps(status, current, now),
          firstResponseAt: firstResponse,
          messageCount: current.messageCount + 1,
          lastMessageAt: input.internal ? current.lastMessageAt : now,
          version: current.version + 1,
          updatedAt: now,
        })
        .where(eq(tickets.id, ticketId))
        .returning();
      await recordTicketEvent(tx, scopeOf(updated), {
        type: input.internal ? 'note.added' : 'message.added',
        actor,
        at: now,
        internal: input.internal,
        data: { messageId: message.id, internal: input.internal, authorKind: message.authorKind },
      });
      if (status !== current.status) {
        await recordTicketEvent(tx, scopeOf(updated), {
          type: 'ticket.status_changed',
          actor,
          at: now,
          data: { field: 'status', from: current.status, to: status },
        });
      }
      await onMessageAdded(ctx, tx, current, updated, { fromCustomer: !staff, internal: input.internal });
      return message.id;
    }),
  );
}

import { and, eq, getTableColumns, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import type { AppContext } from '../../platform/context.js';
import { AppError, badRequest, conflict, notFound } from '../../platform/errors.js';
import { recordTicketEvent, type EventScope } from '../../platform/events.js';
import { isStaff, type Actor } from '../../platform/permissions.js';
import { findOrCreateCustomerByEmail } from '../customers/customers.service.js';
import { customers } from '../customers/customers.table.js';
import { teams } from '../teams/teams.table.js';
import { users } from '../users/users.table.js';
import { onTicketChanged, onTicketCreated } from '../sla/ticket-lifecycle.js';
import { attachFiles, storeFiles } from './attachments.service.js';
import { assertCanChange, canSeeTicket, ownerOfNewTicket, visibleTickets } from './tickets.policy.js';
import type { CreateTicketInput, UpdateTicketInput } from './tickets.schema.js';
import { messages, tickets } from './tickets.table.js';

type TicketRow = typeof tickets.$inferSelect;

export const scopeOf = (t: Pick<TicketRow, 'id' | 'teamId' | 'assigneeId' | 'requesterId'>): EventScope => ({
  ticketId: t.id,
  teamId: t.teamId,
  assigneeId: t.assigneeId,
  requesterId: t.requesterId,
});

export async function assertTeam(tx: DbOrTx, teamId: string | null | undefined) {
  if (!teamId) return;
  const [row] = await tx.select({ id: teams.id }).from(teams).where(eq(teams.id, teamId));
  if (!row) throw badRequest('invalid_team', 'teamId: no such team', { field: 'teamId' });
}

export async function assertAssignee(tx: DbOrTx, userId: string | null | undefined) {
  if (!userId) return;
  const [row] = await tx.select({ role: users.role, active: users.active }).from(users).where(eq(users.id, userId));
  if (!row || row.role === 'customer' || !row.active) {
    throw badRequest('invalid_assignee', 'assigneeId: no active staff member with this id', { field: 'assigneeId' });
  }
}

/** Loads a ticket the actor may see, locked for update; otherwise "not found". */
export async function lockTicket(tx: DbOrTx, actor: Actor, id: string): Promise<TicketRow> {
  const [row] = await tx
    .select()
    .from(tickets)
    .where(and(eq(tickets.id, id), visibleTickets(actor)))
    .for('update');
  if (!row) throw notFound('Ticket');
  return row;
}

type NewTicket = {
  subject: string;
  channel: TicketRow['channel'];
  status: TicketRow['status'];
  priority: TicketRow['priority'];
  category: string | null;
  tags: string[];
  teamId: string | null;
  assigneeId: string | null;
  requesterId: string;
  body: string;
  now: Date;
};

/**
 * Inserts the ticket and its opening message in one statement, guarded by the team and assignee
 * checks: one round trip instead of four. Returns undefined when a guard fails.
 * The opening message is the customer's words, even when an agent logs it (a call, a visit).
 */
async function insertTicketWithMessage(tx: DbOrTx, t: NewTicket) {
  const at = sql`${t.now.toISOString()}::timestamptz`;
  const result = await tx.execute(sql`
    with t as (
      insert into tickets (subject, channel, status, priority, category, tags, team_id, assignee_id, requester_id,
                           message_count, last_message_at, created_at, updated_at)
      select ${t.subject}, ${t.channel}::ticket_channel, ${t.status}::ticket_status, ${t.priority}::ticket_priority, ${t.category},
             array(select json_array_elements_text(${JSON.stringify(t.tags)}::json)), ${t.teamId}::uuid, ${t.assigneeId}::uuid,
             ${t.requesterId}::uuid, 1, ${at}, ${at}, ${at}
      where (${t.teamId}::uuid is null or exists (select 1 from teams where id = ${t.teamId}::uuid))
        and (${t.assigneeId}::uuid is null or exists (select 1 from users u where u.id = ${t.assigneeId}::uuid and u.role <> 'customer' and u.active))
      returning *
    ),
    m as (
      insert into messages (ticket_id, author_kind, author_customer_id, channel, body, created_at)
      select t.id, 'customer', t.requester_id, t.channel, ${t.body}, ${at} from t
      returning id
    )
    select t.*, m.id as opening_message_id from t, m
  `);
  const row = result.rows[0] as Record<string, unknown> | undefined;
  if (!row) return undefined;
  return { ticket: ticketFromRow(row), messageId: row.opening_message_id as string };
}

const ticketColumnList = Object.entries(getTableColumns(tickets));

/** Maps a raw `tickets` row (snake_case, driver values) as Drizzle's own select would. */
function ticketFromRow(row: Record<string, unknown>): TicketRow {
  const out: Record<string, unknown> = {};
  for (const [key, column] of ticketColumnList) {
    const value = row[column.name];
    out[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
  }
  return out as TicketRow;
}

export async function createTicket(ctx: AppContext, actor: Actor, input: CreateTicketInput) {
  if (actor.role === 'customer') {
    if (input.teamId || input.assigneeId || input.status || input.tags || input.category) {
      throw new AppError(403, 'forbidden_field', 'Customers may set only subject, body, channel, priority and attachments');
    }
  } else if (!input.requester && !input.requesterId) {
    throw badRequest('invalid_request', 'requester: give requester.email or requesterId', { field: 'requester' });
  }
  const files = await storeFiles(ctx, input.attachments);
  const now = ctx.clock.now();
  const id = await ctx.db.transaction(async (tx) => {
    let requesterId: string;
    if (actor.role === 'customer') {
      if (!actor.customerId) throw notFound('Customer');
      requesterId = actor.customerId;
    } else if (input.requesterId) {
      const [c] = await tx.select({ id: customers.id }).from(customers).where(eq(customers.id, input.requesterId));
      if (!c) throw badRequest('invalid_requester', 'requesterId: no such customer', { field: 'requesterId' });
      requesterId = c.id;
    } else {
      requesterId = (await findOrCreateCustomerByEmail(tx, input.requester!)).id;
    }
    const assigneeId = ownerOfNewTicket(actor, input);
    const inserted = await insertTicketWithMessage(tx, {
      subject: input.subject,
      channel: input.channel,
      status: input.status ?? (assigneeId ? 'open' : 'new'),
      priority: input.priority ?? 'normal',
      category: input.category ?? null,
      tags: input.tags ? [...new Set(input.tags)] : [],
      teamId: input.teamId ?? null,
      assigneeId: assigneeId ?? null,
      requesterId,
      body: input.body,
      now,
    });
    if (!inserted) {
      // A guard refused the insert: name the field, checking in the same order as before.
      await assertTeam(tx, input.teamId);
      await assertAssignee(tx, assigneeId);
      throw new Error('the ticket insert was refused by its team and assignee guard');
    }
    const { ticket } = inserted;
    const message = { id: inserted.messageId };
    await attachFiles(tx, ticket.id, message.id, files);
    await recordTicketEvent(tx, scopeOf(ticket), {
      type: 'ticket.created',
      actor,
      at: now,
      data: { number: ticket.number, channel: ticket.channel, status: ticket.status, priority: ticket.priority, messageId: message.id },
    });
    // SLA targets, auto-assignment and the rest that follows a change, in this transaction.
    await onTicketCreated(ctx, tx, ticket);
    return ticket.id;
  });
  return id;
}

const trackedFields = ['subject', 'status', 'priority', 'category', 'tags', 'teamId', 'assigneeId'] as const;
const eventTypeFor: Record<(typeof trackedFields)[number], string> = {
  subject: 'ticket.subject_changed',
  status: 'ticket.status_changed',
  priority: 'ticket.priority_changed',
  category: 'ticket.category_changed',
  tags: 'ticket.tags_changed',
  teamId: 'ticket.team_changed',
  assigneeId: 'ticket.assigned',
};

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** Timestamps that follow a status: when it was solved, when closed. */
export function statusStamps(status: TicketRow['status'], current: TicketRow, now: Date) {
  return {
    solvedAt: status === 'solved' || status === 'closed' ? (current.solvedAt ?? now) : null,
    closedAt: status === 'closed' ? (current.closedAt ?? now) : null,
  };
}

export async function updateTicket(ctx: AppContext, actor: Actor, id: string, input: UpdateTicketInput, ifMatch?: number) {
  const { version, note, ...fields } = input;
  const expected = version ?? ifMatch;
  const requested = Object.keys(fields).filter((k) => (fields as Record<string, unknown>)[k] !== undefined);
  // A note on a change is an internal note: a role that may only classify may not write one.
  assertCanChange(actor, note === undefined ? requested : [...requested, 'note']);
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    const current = await lockTicket(tx, actor, id);
    if (expected !== undefined && expected !== current.version) {
      throw conflict('version_conflict', `The ticket changed since version ${expected}; it is now version ${current.version}`, {
        currentVersion: current.version,
      });
    }
    if (current.mergedIntoId) throw conflict('ticket_merged', 'This ticket was merged into another; change that one');
    const changes: Partial<TicketRow> = {};
    for (const f of trackedFields) {
      const next = (fields as Record<string, unknown>)[f];
      if (next === undefined) continue;
      const value = f === 'tags' ? [...new Set(next as string[])] : next;
      if (!same(current[f], value)) (changes as Record<string, unknown>)[f] = value;
    }
    if ('teamId' in changes) await assertTeam(tx, changes.teamId);
    if ('assigneeId' in changes) await assertAssignee(tx, changes.assigneeId);
    if (!Object.keys(changes).length && !note) return;
    // Assigning a new ticket starts work on it.
    if (changes.assigneeId && current.status === 'new' && !changes.status) changes.status = 'open';
    const status = changes.status ?? current.status;
    const [updated] = await tx
      .update(tickets)
      .set({ ...changes, ...statusStamps(status, current, now), version: current.version + 1, updatedAt: now })
      .where(eq(tickets.id, id))
      .returning();
    for (const f of trackedFields) {
      if (!(f in changes)) continue;
      await recordTicketEvent(tx, scopeOf(updated), {
        type: eventTypeFor[f],
        actor,
        at: now,
        data: { field: f, from: current[f] ?? null, to: updated[f] ?? null, ...(note ? { note } : {}) },
      });
    }
    if (note && isStaff(actor)) {
      const [m] = await tx
        .insert(messages)
        .values({ ticketId: id, internal: true, authorKind: 'agent', authorUserId: actor.userId, channel: current.channel, body: note, createdAt: now })
        .returning({ id: messages.id });
      await tx.update(tickets).set({ messageCount: sql`${tickets.messageCount} + 1` }).where(eq(tickets.id, id));
      await recordTicketEvent(tx, scopeOf(updated), { type: 'note.added', actor, at: now, internal: true, data: { messageId: m.id, internal: true } });
    }
    if (Object.keys(changes).length) await onTicketChanged(ctx, tx, current, updated);
  });
}

/** Moves every message of `sourceId` onto `targetId` and closes the source, pointing at the target. */
export async function mergeTicket(ctx: AppContext, actor: Actor, sourceId: string, targetId: string) {
  if (sourceId === targetId) throw badRequest('invalid_target', 'targetId: a ticket cannot be merged into itself', { field: 'targetId' });
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    const source = await lockTicket(tx, actor, sourceId);
    const target = await lockTicket(tx, actor, targetId).catch(() => {
      throw badRequest('invalid_target', 'targetId: no such ticket', { field: 'targetId' });
    });
    if (source.mergedIntoId) throw conflict('ticket_merged', 'This ticket was already merged');
    if (target.mergedIntoId) throw badRequest('invalid_target', 'targetId: that ticket was itself merged', { field: 'targetId' });
    const moved = await tx.update(messages).set({ ticketId: target.id }).where(eq(messages.ticketId, source.id)).returning({ id: messages.id });
    await tx.execute(sql`update attachments set ticket_id = ${target.id} where ticket_id = ${source.id}`);
    const [closed] = await tx
      .update(tickets)
      .set({ mergedIntoId: target.id, status: 'closed', closedAt: now, solvedAt: source.solvedAt ?? now, messageCount: 0, version: source.version + 1, updatedAt: now })
      .where(eq(tickets.id, source.id))
      .returning();
    const [grown] = await tx
      .update(tickets)
      .set({
        messageCount: sql`${tickets.messageCount} + ${moved.length}`,
        tags: [...new Set([...target.tags, ...source.tags])],
        version: target.version + 1,
        updatedAt: now,
      })
      .where(eq(tickets.id, target.id))
      .returning();
    await recordTicketEvent(tx, scopeOf(closed), { type: 'ticket.merged', actor, at: now, data: { into: target.id, intoNumber: target.number } });
    await recordTicketEvent(tx, scopeOf(grown), {
      type: 'ticket.merge_received',
      actor,
      at: now,
      data: { from: source.id, fromNumber: source.number, messages: moved.length },
    });
    await onTicketChanged(ctx, tx, source, closed);
  });
}

export { canSeeTicket };

import { and, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import type { AppContext } from '../../platform/context.js';
import { AppError, badRequest, conflict, notFound } from '../../platform/errors.js';
import { hasTicketEventHooks, recordTicketEvent, runTicketEventHooks, type EventScope, type TicketEventType } from '../../platform/events.js';
import { isStaff, type Actor } from '../../platform/permissions.js';
import { findCustomerByEmail, findOrCreateCustomerByEmail, normalizeEmail } from '../customers/customers.service.js';
import { policiesAskAboutRequester } from '../sla/policies.service.js';
import { routingSettings } from '../sla/routing-settings.js';
import { teams } from '../teams/teams.table.js';
import { users } from '../users/users.table.js';
import { onTicketChanged, planTicketCreated } from '../sla/ticket-lifecycle.js';
import { storeFiles, withFiles, type StoredFile } from './attachments.service.js';
import { draftTicket, insertNewTicket, unassignableRoles, type NewTicket } from './ticket-insert.js';
import { presentCreatedTicket } from './tickets.queries.js';
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
  if (!row || !row.active || unassignableRoles.includes(row.role)) {
    throw badRequest('invalid_assignee', 'assigneeId: no active staff member who may answer tickets has this id', { field: 'assigneeId' });
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

/**
 * Creates a ticket with its opening message. The common case (a requester we know) is ONE statement
 * that finds the requester, writes everything and commits by itself. A new requester, an SLA policy
 * that asks about the requester's tier, or a module that acts on `ticket.created` inside the
 * transaction takes a transaction around the same statement.
 */
export async function createTicket(ctx: AppContext, actor: Actor, input: CreateTicketInput) {
  if (actor.role === 'customer') {
    const refused = (['teamId', 'assigneeId', 'status', 'tags', 'category'] as const).filter((f) => input[f] !== undefined);
    if (refused.length) {
      throw new AppError(403, 'forbidden_field', `Customers may set only subject, body, channel, priority and attachments, not: ${refused.join(', ')}`, { field: refused[0], fields: refused });
    }
    if (!actor.customerId) throw notFound('Customer');
  } else if (!input.requester === !input.requesterId) {
    // Both would leave one silently ignored: which customer the caller meant is theirs to say.
    throw badRequest('invalid_request', 'requester: give requester.email or requesterId, one of them', { field: 'requester' });
  }
  const files = await storeFiles(ctx, input.attachments);
  return withFiles(ctx, files, () => insertTicket(ctx, actor, input, files));
}

/** The ticket with its stored files: in one statement, or in a transaction with a new requester. */
async function insertTicket(ctx: AppContext, actor: Actor, input: CreateTicketInput, files: StoredFile[]) {
  const now = ctx.clock.now();
  const assigneeId = ownerOfNewTicket(actor, input) ?? null;
  const write = async (db: DbOrTx, requester: { id: string } | { email: string }) => {
    const t = draftTicket(
      {
        subject: input.subject,
        channel: input.channel,
        status: input.status ?? (assigneeId ? 'open' : 'new'),
        priority: input.priority ?? 'normal',
        category: input.category ?? null,
        tags: input.tags ? [...new Set(input.tags)] : [],
        teamId: input.teamId ?? null,
        assigneeId,
        body: input.body,
      },
      requester,
      now,
    );
    // SLA targets, auto-assignment and the rest that follows, written in the same statement.
    const plan = await planTicketCreated(ctx, db, { ...t, number: 0, search: null });
    const event = { actor, data: { channel: t.channel, status: t.status, priority: t.priority, messageId: t.messageId } };
    const inserted = await insertNewTicket(db, t, files, event, plan);
    return inserted && { ...inserted, event, message: openingMessage(t, inserted.joined.ticket.requesterId), targets: plan.targets };
  };
  /** A guard refused the insert: name the field. */
  const refused = async (db: DbOrTx) => {
    await assertTeam(db, input.teamId);
    await assertAssignee(db, assigneeId);
    return badRequest('invalid_requester', 'requesterId: no such customer', { field: 'requesterId' });
  };

  const email = actor.role === 'customer' || input.requesterId ? undefined : normalizeEmail(input.requester!.email);
  const hooks = hasTicketEventHooks('ticket.created');
  const settings = await routingSettings(ctx, ctx.db, [input.teamId ?? null]);
  // Found inside the statement, unless a policy must know who they are before it is written.
  const findInStatement = !!email && !hooks && !policiesAskAboutRequester(settings.policies);
  const known = actor.role === 'customer' ? actor.customerId! : (input.requesterId ?? (findInStatement ? undefined : (await findCustomerByEmail(ctx.db, email!))?.id));
  let created: Awaited<ReturnType<typeof write>>;
  if (!hooks && (known || findInStatement)) {
    created = await write(ctx.db, known ? { id: known } : { email: email! });
    if (!created && known) throw await refused(ctx.db);
  }
  // A new requester (or a module acting on the event): the customer and the ticket in one transaction.
  created ??= await ctx.db.transaction(async (tx) => {
    const requesterId = known ?? (await findOrCreateCustomerByEmail(tx, input.requester!)).id;
    const out = await write(tx, { id: requesterId });
    if (!out) throw await refused(tx);
    await runTicketEventHooks(tx, scopeOf(out.joined.ticket), { ...out.event, type: 'ticket.created', at: now, data: { ...out.event.data, number: out.joined.ticket.number } });
    return out;
  });
  return presentCreatedTicket(isStaff(actor), created.joined, created.message, created.files, created.targets);
}

/** The opening message as the statement wrote it: the requester's words. */
export function openingMessage(t: NewTicket, requesterId: string) {
  return { id: t.messageId, ticketId: t.id, internal: false, authorKind: 'customer' as const, authorUserId: null, authorCustomerId: requesterId, channel: t.channel, body: t.body, bodyHtml: null, createdAt: t.createdAt };
}

const trackedFields = ['subject', 'status', 'priority', 'category', 'tags', 'teamId', 'assigneeId'] as const;
const eventTypeFor: Record<(typeof trackedFields)[number], TicketEventType> = {
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
  const { version, note, ...given } = input;
  const fields = given.assigneeId === 'me' ? { ...given, assigneeId: actor.userId } : given;
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
    // Locked in id order: two opposite merges at once wait for each other instead of deadlocking.
    // An unseen source is a 404 first; an unseen target is a bad targetId.
    const locked = new Map<string, TicketRow | AppError>();
    for (const id of [sourceId, targetId].sort()) {
      locked.set(id, await lockTicket(tx, actor, id).catch((err) => (err instanceof AppError && err.status === 404 ? err : Promise.reject(err))));
    }
    const source = locked.get(sourceId)!;
    const target = locked.get(targetId)!;
    if (source instanceof AppError) throw source;
    if (target instanceof AppError) throw badRequest('invalid_target', 'targetId: no such ticket', { field: 'targetId' });
    if (source.mergedIntoId) throw conflict('ticket_merged', 'This ticket was already merged');
    if (target.mergedIntoId) throw badRequest('invalid_target', 'targetId: that ticket was itself merged', { field: 'targetId' });
    // The target's requester would read the source's messages and files: another customer's words.
    if (source.requesterId !== target.requesterId) {
      throw conflict('requesters_differ', 'These tickets have different requesters: only one customer\'s tickets can be merged', { field: 'targetId' });
    }
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

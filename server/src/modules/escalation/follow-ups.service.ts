import { and, asc, eq, gte, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import type { AppContext } from '../../platform/context.js';
import { badRequest, notFound } from '../../platform/errors.js';
import { recordTicketEvent } from '../../platform/events.js';
import { enqueue } from '../../platform/jobs/jobs.js';
import type { Actor } from '../../platform/permissions.js';
import { visibleTickets } from '../tickets/tickets.policy.js';
import { tickets } from '../tickets/tickets.table.js';
import { followUps } from './escalation.table.js';

type Ticket = typeof tickets.$inferSelect;
type FollowUp = typeof followUps.$inferSelect;

const scopeOf = (t: Ticket) => ({ ticketId: t.id, teamId: t.teamId, assigneeId: t.assigneeId, requesterId: t.requesterId });

/** The reminder comes a quarter of the way before the promise, at most 15 minutes before. */
export function reminderTime(createdAt: Date, dueAt: Date): Date {
  const lead = Math.min(15 * 60_000, (dueAt.getTime() - createdAt.getTime()) / 4);
  return new Date(dueAt.getTime() - lead);
}

export function presentFollowUp(f: FollowUp) {
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  return {
    id: f.id,
    ticketId: f.ticketId,
    agentId: f.agentId,
    dueAt: f.dueAt.toISOString(),
    note: f.note,
    state: f.state,
    remindedAt: iso(f.remindedAt),
    keptAt: iso(f.keptAt),
    missedAt: iso(f.missedAt),
    createdAt: f.createdAt.toISOString(),
  };
}

export async function createFollowUp(ctx: AppContext, actor: Actor, ticketId: string, input: { dueAt: string; note: string }) {
  const now = ctx.clock.now();
  const dueAt = new Date(input.dueAt);
  if (dueAt.getTime() <= now.getTime()) throw badRequest('invalid_due_at', 'dueAt: a follow-up must be due in the future', { field: 'dueAt' });
  return ctx.db.transaction(async (tx) => {
    const [ticket] = await tx.select().from(tickets).where(and(eq(tickets.id, ticketId), visibleTickets(actor))).for('update');
    if (!ticket) throw notFound('Ticket');
    const [row] = await tx.insert(followUps).values({ ticketId, agentId: actor.userId, dueAt, note: input.note, createdAt: now }).returning();
    await enqueue(tx, 'followup.remind', { followUpId: row.id }, { runAt: reminderTime(now, dueAt), dedupeKey: `followup:${row.id}:remind` });
    await enqueue(tx, 'followup.due', { followUpId: row.id }, { runAt: dueAt, dedupeKey: `followup:${row.id}:due` });
    await recordTicketEvent(tx, scopeOf(ticket), { type: 'followup.promised', actor, at: now, internal: true, data: { followUpId: row.id, dueAt: dueAt.toISOString(), note: input.note } });
    return presentFollowUp(row);
  });
}

export async function listFollowUps(ctx: AppContext, actor: Actor, ticketId: string) {
  const [ticket] = await ctx.db.select({ id: tickets.id }).from(tickets).where(and(eq(tickets.id, ticketId), visibleTickets(actor)));
  if (!ticket) throw notFound('Ticket');
  const rows = await ctx.db.select().from(followUps).where(eq(followUps.ticketId, ticketId)).orderBy(asc(followUps.dueAt));
  return { data: rows.map(presentFollowUp) };
}

/** A public agent reply before the promised time keeps every open promise on the ticket. */
export async function keepFollowUps(ctx: AppContext, tx: DbOrTx, ticket: Ticket) {
  const now = ctx.clock.now();
  const kept = await tx
    .update(followUps)
    .set({ state: 'kept', keptAt: now })
    .where(and(eq(followUps.ticketId, ticket.id), sql`${followUps.state} = 'pending'`, gte(followUps.dueAt, now)))
    .returning({ id: followUps.id });
  for (const k of kept) await recordTicketEvent(tx, scopeOf(ticket), { type: 'followup.kept', at: now, internal: true, data: { followUpId: k.id } });
}

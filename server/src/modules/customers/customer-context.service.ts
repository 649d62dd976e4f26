import { and, count, desc, eq, inArray, sql } from 'drizzle-orm';
import type { AppContext } from '../../platform/context.js';
import type { Actor } from '../../platform/permissions.js';
import { visibleTickets } from '../tickets/tickets.policy.js';
import { ticketEvents, tickets } from '../tickets/tickets.table.js';
import { users } from '../users/users.table.js';
import { getCustomer } from './customers.service.js';

const finished = ['solved', 'closed'] as const;

/**
 * What an agent needs beside a conversation: who this is, what they asked before, and how it ended.
 * `besides`: the conversation open beside it, which is not their "last problem" but the present one.
 */
export async function customerContext(ctx: AppContext, actor: Actor, customerId: string, besides?: string) {
  const customer = await getCustomer(ctx.db, customerId);
  const recent = await ctx.db
    .select({ id: tickets.id, number: tickets.number, subject: tickets.subject, status: tickets.status, channel: tickets.channel, createdAt: tickets.createdAt, updatedAt: tickets.updatedAt, solvedAt: tickets.solvedAt })
    .from(tickets)
    .where(and(eq(tickets.requesterId, customerId), sql`${tickets.mergedIntoId} is null`, visibleTickets(actor)))
    .orderBy(desc(tickets.createdAt), desc(tickets.id))
    .limit(20);
  const [counts] = await ctx.db
    .select({
      total: count(),
      open: sql<number>`count(*) filter (where ${tickets.status} not in ('solved', 'closed'))`.mapWith(Number),
    })
    .from(tickets)
    // The same tickets the list beside it shows: an agent learns nothing of other teams' work here.
    .where(and(eq(tickets.requesterId, customerId), sql`${tickets.mergedIntoId} is null`, visibleTickets(actor)));
  const events = recent.length
    ? await ctx.db
        .select({ id: ticketEvents.id, ticketId: ticketEvents.ticketId, type: ticketEvents.type, createdAt: ticketEvents.createdAt, actorName: users.name })
        .from(ticketEvents)
        .leftJoin(users, eq(users.id, ticketEvents.actorUserId))
        .where(inArray(ticketEvents.ticketId, recent.map((t) => t.id)))
        .orderBy(desc(ticketEvents.id))
        .limit(20)
    : [];
  const summary = (t: (typeof recent)[number]) => ({
    id: t.id,
    number: t.number,
    reference: `#${t.number}`,
    subject: t.subject,
    status: t.status,
    channel: t.channel,
    solved: (finished as readonly string[]).includes(t.status),
    createdAt: t.createdAt.toISOString(),
    updatedAt: t.updatedAt.toISOString(),
    solvedAt: t.solvedAt?.toISOString() ?? null,
  });
  const last = recent.find((t) => t.id !== besides);
  return {
    customer,
    ticketCount: counts.total,
    openCount: counts.open,
    lastProblem: last ? summary(last) : null,
    tickets: recent.map(summary),
    recentEvents: events.map((e) => ({
      id: e.id,
      ticketId: e.ticketId,
      number: recent.find((t) => t.id === e.ticketId)?.number ?? null,
      type: e.type,
      actor: e.actorName,
      createdAt: e.createdAt.toISOString(),
    })),
  };
}

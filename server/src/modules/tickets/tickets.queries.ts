import { aliasedTable, and, asc, eq, getTableColumns, gt, inArray, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import type { AppContext } from '../../platform/context.js';
import { decodeIdCursor, encodeIdCursor } from '../../platform/cursor.js';
import { notFound } from '../../platform/errors.js';
import { isStaff, type Actor } from '../../platform/permissions.js';
import { customers } from '../customers/customers.table.js';
import { teams } from '../teams/teams.table.js';
import { users } from '../users/users.table.js';
import { deliveryColumn, presentDelivery } from '../email/delivery.queries.js';
import { presentTargets, ticketPromises } from '../sla/ticket-sla.queries.js';
import type { ticketSlaTargets } from '../sla/sla.table.js';
import type { NextSlaTarget } from './ticket-sla-list.js';
import { visibleTickets } from './tickets.policy.js';
import type { TimelineQuery } from './tickets.schema.js';
import { linkedTicketFilter, withMergeTargetsShown } from './timeline-links.js';
import { presentEvent, presentMessage, presentTicket } from './tickets.presenter.js';
import { attachments, messages, ticketEvents, tickets } from './tickets.table.js';

const assignee = aliasedTable(users, 'assignee');

// The generated search vectors are for the database only: never fetch them.
const { search: _ticketSearch, ...ticketColumns } = getTableColumns(tickets);
const { search: _messageSearch, ...messageColumns } = getTableColumns(messages);

/** The requester's first address, fetched in the same row as the ticket. */
const requesterEmail = sql<string | null>`(select e.email from customer_emails e where e.customer_id = ${tickets.requesterId} order by e.created_at limit 1)`;

function ticketSelect<E extends Record<string, SQL | SQL.Aliased>>(extra: E) {
  return {
    ticket: ticketColumns,
    requesterName: customers.name,
    requesterEmail,
    assigneeName: assignee.name,
    teamName: teams.name,
    ...extra,
  };
}

type SlaTargetRow = typeof ticketSlaTargets.$inferSelect;

export type Joined = {
  ticket: Omit<typeof tickets.$inferSelect, 'search'>;
  requesterName: string;
  requesterEmail: string | null;
  assigneeName: string | null;
  teamName: string | null;
};

/**
 * `staff`: false for a customer, who is not shown how the desk files their request: its category
 * and tags ("fraud-check", "angry") and the team and agent holding it stay with the desk.
 */
export function present(r: Joined, staff = true) {
  const t = presentTicket(r.ticket, {
    requester: { id: r.ticket.requesterId, name: r.requesterName, email: r.requesterEmail },
    assignee: r.ticket.assigneeId ? { id: r.ticket.assigneeId, name: r.assigneeName ?? '' } : null,
    team: r.ticket.teamId ? { id: r.ticket.teamId, name: r.teamName ?? '' } : null,
  });
  return staff ? t : { ...t, category: null, tags: [], assignee: null, team: null };
}

function joined<E extends Record<string, SQL | SQL.Aliased>>(db: DbOrTx, extra: E = {} as E) {
  return db
    .select(ticketSelect(extra))
    .from(tickets)
    .innerJoin(customers, eq(customers.id, tickets.requesterId))
    .leftJoin(assignee, eq(assignee.id, tickets.assigneeId))
    .leftJoin(teams, eq(teams.id, tickets.teamId));
}

/** The list's page: the joined ticket plus its most urgent SLA target, still one query. */
export function listed(db: DbOrTx, next: NextSlaTarget, extra: Record<string, SQL>) {
  return joined(db, { ...extra, slaMetric: next.metric, slaDueAt: next.dueAt, slaWarnAt: next.warnAt, slaState: next.state }).leftJoinLateral(next, sql`true`);
}

/** Customers count only what they may read: internal notes stay out of the number too. */
export const publicMessageCount = sql<number>`(select count(*)::int from messages m where m.ticket_id = ${tickets.id} and not m.internal)`;

/**
 * `justWritten`: the actor has just changed or created this ticket and may be shown the result even
 * when the change moved it out of their view (an agent transferring it to another team).
 */
export async function getTicketDetail(ctx: AppContext, actor: Actor, id: string, opts: { justWritten?: boolean } = {}) {
  const [row] = await joined(ctx.db).where(and(eq(tickets.id, id), opts.justWritten ? undefined : visibleTickets(actor)));
  if (!row) throw notFound('Ticket');
  const staff = isStaff(actor);
  const msgs = await ctx.db
    .select({
      message: messageColumns,
      userName: users.name,
      customerName: customers.name,
      hasFiles: sql<boolean>`exists (select 1 from attachments a where a.message_id = ${messages.id})`,
      delivery: staff ? deliveryColumn : sql<null>`null`,
    })
    .from(messages)
    .leftJoin(users, eq(users.id, messages.authorUserId))
    .leftJoin(customers, eq(customers.id, messages.authorCustomerId))
    .where(and(eq(messages.ticketId, id), staff ? undefined : eq(messages.internal, false)))
    .orderBy(asc(messages.createdAt), asc(messages.id));
  // Most messages carry no files: ask for attachments only when some do.
  const withFiles = msgs.filter((m) => m.hasFiles).map((m) => m.message.id);
  const files = withFiles.length ? await ctx.db.select().from(attachments).where(inArray(attachments.messageId, withFiles)) : [];
  const [shown] = await withMergeTargetsShown(ctx, actor, [present(row, staff)]);
  return {
    ...shown,
    ...(staff ? {} : { messageCount: msgs.length }),
    // SLA targets and the latest escalation handoff (read first by whoever picks it up).
    ...(await ticketPromises(ctx.db, id, staff)),
    messages: msgs.map(({ message, userName, customerName, delivery }) => {
      const authorId = message.authorUserId ?? message.authorCustomerId;
      const author = authorId ? { id: authorId, name: userName ?? customerName ?? '' } : null;
      return presentMessage(message, author, files.filter((f) => f.messageId === message.id), staff ? presentDelivery(delivery) : undefined);
    }),
  };
}

type MessageRow = Omit<typeof messages.$inferSelect, 'search'>;
type AttachmentRow = typeof attachments.$inferSelect;

/**
 * A ticket just created, as GET /tickets/:id shows it, from what the statement that created it
 * returned: its opening message (no delivery: it came in), files and targets; no escalation yet.
 */
export function presentCreatedTicket(staff: boolean, r: Joined, message: MessageRow, files: AttachmentRow[], targets: SlaTargetRow[]) {
  const author = message.authorCustomerId ? { id: message.authorCustomerId, name: r.requesterName } : null;
  return {
    ...present(r, staff),
    ...(staff ? {} : { messageCount: 1 }),
    sla: presentTargets(targets, staff),
    escalation: null,
    messages: [presentMessage(message, author, files, staff ? null : undefined)],
  };
}

/** A page of the ticket's history, oldest first; the event id alone orders it (a sequence), so it is the cursor. */
export async function ticketTimeline(ctx: AppContext, actor: Actor, id: string, q: TimelineQuery) {
  const [row] = await ctx.db.select({ id: tickets.id }).from(tickets).where(and(eq(tickets.id, id), visibleTickets(actor)));
  if (!row) throw notFound('Ticket');
  const after = q.cursor ? decodeIdCursor(q.cursor, 'timeline', row.id) : undefined;
  const rows = await ctx.db
    .select({ event: ticketEvents, userName: users.name, customerName: customers.name })
    .from(ticketEvents)
    .leftJoin(users, eq(users.id, ticketEvents.actorUserId))
    .leftJoin(customers, eq(customers.id, ticketEvents.actorCustomerId))
    .where(and(eq(ticketEvents.ticketId, row.id), after === undefined ? undefined : gt(ticketEvents.id, after)))
    .orderBy(asc(ticketEvents.id))
    .limit(q.limit + 1);
  const page = rows.slice(0, q.limit);
  const shown = await linkedTicketFilter(ctx, actor, page.map((r) => ({ type: r.event.type, data: r.event.data as Record<string, unknown> })));
  const last = page[page.length - 1];
  return {
    data: page.map(({ event, userName, customerName }) => {
      const actorId = event.actorUserId ?? event.actorCustomerId;
      return presentEvent({ ...event, data: shown(event.type, event.data as Record<string, unknown>) }, actorId ? { id: actorId, name: userName ?? customerName ?? '' } : null);
    }),
    nextCursor: rows.length > q.limit && last ? encodeIdCursor('timeline', last.event.id, row.id) : null,
  };
}

import { createHash } from 'node:crypto';
import { asc, desc, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { withFastRows } from '../../db/row-mapper.js';
import type { AppContext } from '../../platform/context.js';
import { decodeCursor, encodeCursor } from '../../platform/cursor.js';
import { badRequest } from '../../platform/errors.js';
import { ticketPriorities } from '../../../../common/enums.js';
import { isStaff, seesAllTickets, type Actor } from '../../platform/permissions.js';
import { nextSlaTarget, presentSlaSummary, slaCandidates } from './ticket-sla-list.js';
import { listed, present, publicMessageCount } from './tickets.queries.js';
import type { ListTicketsQuery } from './tickets.schema.js';
import { withMergeTargetsShown } from './timeline-links.js';
import { tickets, ticketSearch } from './tickets.table.js';

const sortColumns = {
  updatedAt: tickets.updatedAt,
  createdAt: tickets.createdAt,
  number: tickets.number,
  priority: tickets.priority,
} as const;

const p = (name: string) => sql.placeholder(name);
/** An array parameter as PostgreSQL's literal: both drivers pass text through unchanged (PGlite does not take JS arrays for any()). */
const pgArray = (values: readonly string[]) => `{${values.map((v) => `"${v.replace(/["\\]/g, '\\$&')}"`).join(',')}}`;

/**
 * `q` is matched against each ticket's search document: its subject and every message the reader may
 * read, together (staff: notes too; a customer: not), normalised and in every configured language,
 * by the database's search_query() (migration 0012).
 */
export function searchCondition(q: unknown, staff: boolean): SQL {
  if (staff) return sql`${tickets.id} in (select ticket_id from ${ticketSearch} where staff @@ search_query(${q}))`;
  // A customer's few tickets are checked one by one: their document needs no index.
  return sql`exists (select 1 from ${ticketSearch} s where s.ticket_id = ${tickets.id} and s.customer @@ search_query(${q}))`;
}

const arabicDigits = /[\u0660-\u0669\u06f0-\u06f9]/g;

/** The ticket number a query names ("1300", "#1300", "#١٣٠٠"), if it is only that. */
export function ticketNumberIn(q: string): string | undefined {
  const m = /^#?\s*(\d{1,15})$/.exec(q.replace(arabicDigits, (d) => String(d.charCodeAt(0) & 0xf)));
  return m ? String(Number(m[1])) : undefined;
}

/**
 * The list's statement depends only on which filters are used, the sort, the scope and the role,
 * not on their values: it is built once per such shape (with placeholders) and kept, so a request
 * only binds its values. The key names the shape; the values fill the placeholders.
 */
function listShape(actor: Actor, q: ListTicketsQuery) {
  const key: string[] = [];
  const values: Record<string, unknown> = { now: '', limit: q.limit + 1 };
  const where: SQL[] = [];
  const use = (name: string, condition: SQL, bound: Record<string, unknown> = {}) => {
    key.push(name);
    where.push(condition);
    Object.assign(values, bound);
  };
  // Who may see what, as tickets.policy's visibleTickets says.
  if (actor.role === 'customer') {
    // How the desk files a request is not shown to its customer, so it cannot be asked about either.
    for (const field of ['tag', 'teamId', 'assigneeId'] as const) {
      if (q[field] !== undefined) throw badRequest('invalid_request', `${field}: customers cannot filter by how the desk files their requests`, { field });
    }
    if (actor.customerId) use('customer', sql`${tickets.requesterId} = ${p('customerId')}::uuid`, { customerId: actor.customerId });
    else use('nobody', sql`false`);
  } else if (!seesAllTickets(actor.role)) {
    if (actor.teamIds.length) {
      use('scope', sql`(${tickets.assigneeId} = ${p('me')}::uuid or ${tickets.teamId} = any(${p('myTeams')}::uuid[]))`, { me: actor.userId, myTeams: pgArray(actor.teamIds) });
    } else use('own', sql`${tickets.assigneeId} = ${p('me')}::uuid`, { me: actor.userId });
  }
  if (q.status?.length) use('status', sql`${tickets.status} = any(${p('status')}::ticket_status[])`, { status: pgArray(q.status) });
  if (q.priority?.length) use('priority', sql`${tickets.priority} = any(${p('priority')}::ticket_priority[])`, { priority: pgArray(q.priority) });
  if (q.channel?.length) use('channel', sql`${tickets.channel} = any(${p('channel')}::ticket_channel[])`, { channel: pgArray(q.channel) });
  if (q.assigneeId === 'none') use('unassigned', sql`${tickets.assigneeId} is null`);
  else if (q.assigneeId) use('assignee', sql`${tickets.assigneeId} = ${p('assigneeId')}::uuid`, { assigneeId: q.assigneeId === 'me' ? actor.userId : q.assigneeId });
  if (q.teamId === 'none') use('teamless', sql`${tickets.teamId} is null`);
  else if (q.teamId) use('team', sql`${tickets.teamId} = ${p('teamId')}::uuid`, { teamId: q.teamId });
  if (q.requesterId) use('requester', sql`${tickets.requesterId} = ${p('requesterId')}::uuid`, { requesterId: q.requesterId });
  if (q.tag) use('tag', sql`${tickets.tags} @> array[${p('tag')}::text]`, { tag: q.tag });
  if (q.updatedSince) use('since', sql`${tickets.updatedAt} >= ${p('since')}::timestamptz`, { since: q.updatedSince });
  if (q.q) {
    // "1300" or "#1300" (any digits, as search_text folds them) is also the ticket with that number:
    // the number a customer quotes on the phone or in a mail subject is not in any text.
    const number = ticketNumberIn(q.q);
    if (number === undefined) use('q', searchCondition(p('q'), isStaff(actor)), { q: q.q });
    else use('qnumber', sql`(${tickets.number} = ${p('qNumber')}::bigint or ${searchCondition(p('q'), isStaff(actor))})`, { q: q.q, qNumber: number });
  }
  return { key, values, where };
}

function buildList(db: DbOrTx, actor: Actor, q: ListTicketsQuery, shape: ReturnType<typeof listShape>, key: string) {
  const staff = isStaff(actor);
  const now = p('now');
  const next = nextSlaTarget(db, now, staff);
  const where = [...shape.where];
  if (q.sla) where.push(slaCandidates(q.sla, now), sql`${next.state} = ${q.sla}`);
  const descending = q.sort.startsWith('-');
  const field = q.sort.replace(/^-/, '') as keyof typeof sortColumns | 'slaDueAt';
  // Tickets without an open target sort last either way: an infinite due time stands in for none.
  // Staff sort on the ticket's own next due time (indexed, "due first"); a customer's few tickets,
  // on the due time of what they may see.
  const due = staff ? tickets.slaDueAt : next.dueAt;
  const column = field === 'slaDueAt' ? sql`coalesce(${due}, ${descending ? sql`'-infinity'` : sql`'infinity'`}::timestamptz)` : sortColumns[field];
  const cast = field === 'number' ? sql`bigint` : field === 'priority' ? sql`ticket_priority` : sql`timestamptz`;
  if (q.cursor) where.push(sql`(${column}, ${tickets.id}) ${descending ? sql`<` : sql`>`} (${p('cursorValue')}::${cast}, ${p('cursorId')}::uuid)`);
  const order = descending ? [desc(column), desc(tickets.id)] : [asc(column), asc(tickets.id)];
  const query = listed(db, next, { cursorValue: sql<string>`${column}::text`, ...(staff ? {} : { publicCount: publicMessageCount }) })
    .where(sql.join(where.length ? where : [sql`true`], sql` and `))
    .orderBy(...order)
    .limit(p('limit'))
    // Named, the server keeps its plan; a search (unnamed) is planned for its words each time.
    .prepare(q.q ? '' : `list_${createHash('sha1').update(key).digest('base64url').slice(0, 20)}`);
  return withFastRows(query);
}

type Prepared = ReturnType<typeof buildList>;
// Per database (tests run several in one process), per shape. Shapes are few: filters × sorts × roles.
const byDatabase = new WeakMap<object, Map<string, Prepared>>();

export async function listTickets(ctx: AppContext, actor: Actor, q: ListTicketsQuery) {
  const staff = isStaff(actor);
  const shape = listShape(actor, q);
  const key = [...shape.key, q.sla ?? '', q.sort, q.cursor ? 'after' : '', staff ? 'staff' : 'customer'].join('|');
  let cache = byDatabase.get(ctx.db);
  if (!cache) byDatabase.set(ctx.db, (cache = new Map()));
  let query = cache.get(key);
  if (!query) cache.set(key, (query = buildList(ctx.db, actor, q, shape, key)));
  shape.values.now = ctx.clock.now().toISOString();
  if (q.cursor) {
    const field = q.sort.replace(/^-/, '');
    const c = decodeCursor(q.cursor, q.sort, field === 'number' ? 'integer' : field === 'priority' ? ticketPriorities : 'timestamp');
    Object.assign(shape.values, { cursorValue: c.value, cursorId: c.id });
  }
  const rows = await query.execute(shape.values);
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1] as (typeof page)[number] & { cursorValue: string };
  const item = (r: (typeof page)[number]) => ({
    ...present(r, staff),
    ...(staff ? {} : { messageCount: Number((r as { publicCount?: number }).publicCount ?? 0) }),
    sla: presentSlaSummary({ metric: r.slaMetric, dueAt: r.slaDueAt, warnAt: r.slaWarnAt, state: r.slaState }),
  });
  return {
    data: await withMergeTargetsShown(ctx, actor, page.map(item)),
    nextCursor: rows.length > q.limit && last ? encodeCursor(q.sort, last.cursorValue, last.ticket.id) : null,
  };
}

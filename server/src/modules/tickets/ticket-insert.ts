import crypto from 'node:crypto';
import { getTableColumns, sql, type Table } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { staffRoleNames } from '../../../../common/enums.js';
import { roleHas, type Role } from '../../../../common/permissions.js';
import { ticketEventSql, type TicketEventInput } from '../../platform/events.js';
import { queueJobsSql, type JobSpec } from '../../platform/jobs/jobs.js';
import { ticketSlaTargets } from '../sla/sla.table.js';
import type { StoredFile } from './attachments.service.js';
import type { Joined } from './tickets.queries.js';
import { attachments, tickets } from './tickets.table.js';

/** Who cannot hold a ticket: customers, and staff who may not answer one (analysts only read and classify). */
export const unassignableRoles: readonly Role[] = ['customer', ...staffRoleNames.filter((r) => !roleHas(r, 'tickets.reply'))];

type TicketRow = typeof tickets.$inferSelect;

/**
 * A ticket about to be created: its id and its opening message's are chosen here, so everything that
 * follows can be written with it. `requesterEmail`: the requester is found by address in the statement
 * itself (`requesterId` is then unknown and ignored); when nobody has it, nothing is written.
 */
export type NewTicket = Omit<TicketRow, 'number' | 'search'> & { messageId: string; body: string; requesterEmail?: string };

type DraftFields = Pick<NewTicket, 'subject' | 'channel' | 'status' | 'priority' | 'category' | 'tags' | 'teamId' | 'assigneeId' | 'body'>;

/** The ticket about to be created, with its ids chosen here; the requester is known, or found by address in the statement. */
export function draftTicket(f: DraftFields, requester: { id: string } | { email: string }, now: Date): NewTicket {
  return {
    ...f,
    id: crypto.randomUUID(),
    messageId: crypto.randomUUID(),
    requesterId: 'id' in requester ? requester.id : '',
    requesterEmail: 'email' in requester ? requester.email : undefined,
    mergedIntoId: null,
    version: 1,
    messageCount: 1,
    lastMessageAt: now,
    firstResponseAt: null,
    solvedAt: null,
    closedAt: null,
    slaDueAt: null,
    createdAt: now,
    updatedAt: now,
  };
}

/** What follows the creation, already worked out: SLA targets and jobs (timers, auto-assignment). */
export type CreationPlan = { targets: (typeof ticketSlaTargets.$inferSelect)[]; jobs: JobSpec[]; slaDueAt: Date | null };

type Column = ReturnType<typeof getTableColumns>[string];

/** A table's columns as [key, column] pairs, without the generated search vector (for the database only). */
function fetchedColumns(table: Table): [string, Column][] {
  return Object.entries(getTableColumns(table)).filter(([key]) => key !== 'search');
}

const ticketFields = fetchedColumns(tickets);
const attachmentFields = fetchedColumns(attachments);
/** What the new ticket's statement returns: every column but the search vector. */
const ticketReturning = sql.raw(ticketFields.map(([, c]) => `"${c.name}"`).join(', '));

/** Maps a raw row (snake_case, driver or JSON values) as Drizzle's own select would. */
function rowOf<T>(fields: [string, Column][], row: Record<string, unknown>): T {
  const out: Record<string, unknown> = {};
  for (const [key, column] of fields) {
    const value = row[column.name];
    out[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
  }
  return out as T;
}

/** Rows as JSON keyed by column name, for json_populate_recordset. */
function asRecords(table: Table, rows: Record<string, unknown>[]): string {
  const columns = Object.entries(getTableColumns(table));
  return JSON.stringify(rows.map((r) => Object.fromEntries(columns.map(([key, c]) => [c.name, r[key] ?? null]))));
}

/**
 * Writes a new ticket in ONE statement: the ticket (guarded by its team, assignee and requester
 * checks), its opening message and files, the `ticket.created` history row with its NOTIFY, its SLA
 * targets and the jobs that follow. On its own it commits as one; nothing is written when a guard
 * fails (undefined is returned). Returns the ticket joined with the names the API shows.
 */
export async function insertNewTicket(db: DbOrTx, t: NewTicket, files: (StoredFile & { id?: string })[], event: Omit<TicketEventInput, 'type' | 'at'>, plan: CreationPlan) {
  const at = sql`${t.createdAt.toISOString()}::timestamptz`;
  const created = sql`exists (select 1 from t)`;
  const requester = t.requesterEmail ? sql`(select customer_id from customer_emails where email = ${t.requesterEmail})` : sql`${t.requesterId}::uuid`;
  const history = ticketEventSql(
    { ticketId: t.id, teamId: t.teamId, assigneeId: t.assigneeId, requesterId: t.requesterId },
    { ...event, type: 'ticket.created', at: t.createdAt },
    { from: sql`t`, data: sql`jsonb_build_object('number', t.number)`, requesterId: sql`(select requester_id from t)` },
  );
  const queued = queueJobsSql(plan.jobs, created);
  const fileRows = files.map((f) => ({ id: f.id ?? crypto.randomUUID(), filename: f.filename, content_type: f.contentType, size: f.size, storage_key: f.storageKey }));
  // Most tickets come without files: then the statement has no part for them.
  const fileCte = files.length
    ? sql`files as (
      insert into ${attachments} (id, message_id, ticket_id, filename, content_type, size, storage_key, created_at)
      select x.id, m.id, ${t.id}::uuid, x.filename, x.content_type, x.size, x.storage_key, ${at}
      from m, json_to_recordset(${JSON.stringify(fileRows)}::json) as x(id uuid, filename text, content_type text, size int, storage_key text)
      returning *
    ),`
    : sql``;
  const result = await db.execute(sql`
    with t as (
      insert into tickets (id, subject, channel, status, priority, category, tags, team_id, assignee_id, requester_id,
                           message_count, last_message_at, created_at, updated_at, sla_due_at)
      select ${t.id}::uuid, ${t.subject}, ${t.channel}::ticket_channel, ${t.status}::ticket_status, ${t.priority}::ticket_priority, ${t.category},
             array(select json_array_elements_text(${JSON.stringify(t.tags)}::json)), ${t.teamId}::uuid, ${t.assigneeId}::uuid,
             r.id, 1, ${at}, ${at}, ${at}, ${plan.slaDueAt?.toISOString() ?? null}::timestamptz
      from (select ${requester} as id) r
      where (${t.teamId}::uuid is null or exists (select 1 from teams where id = ${t.teamId}::uuid))
        and (${t.assigneeId}::uuid is null or exists (select 1 from users u where u.id = ${t.assigneeId}::uuid and u.role not in (${sql.join(unassignableRoles.map((r) => sql`${r}`), sql`, `)}) and u.active))
        and exists (select 1 from customers where id = r.id)
      returning ${ticketReturning}
    ),
    -- The opening message is the customer's words, even when an agent logs it (a call, a visit).
    m as (
      insert into messages (id, ticket_id, author_kind, author_customer_id, channel, body, created_at)
      select ${t.messageId}::uuid, t.id, 'customer', t.requester_id, t.channel, ${t.body}, ${at} from t
      returning id
    ),
    ${fileCte}
    targets as (
      insert into ${ticketSlaTargets}
      select * from json_populate_recordset(null::ticket_sla_targets, ${asRecords(ticketSlaTargets, plan.targets)}::json) where ${created}
      returning id
    ),
    ${history.ctes},
    ${queued.ctes}
    select t.*, c.name as requester_name,
           (select e.email from customer_emails e where e.customer_id = t.requester_id order by e.created_at limit 1) as requester_email,
           a.name as assignee_name, tm.name as team_name,
           ${files.length ? sql`(select json_agg(files) from files)` : sql`'[]'::json`} as files,
           ${history.effects} + ${queued.wakes} + (select count(*) from targets) as effects
    from t join customers c on c.id = t.requester_id left join users a on a.id = t.assignee_id left join teams tm on tm.id = t.team_id
  `);
  const row = result.rows[0] as Record<string, unknown> | undefined;
  if (!row) return undefined;
  const joined: Joined = {
    ticket: rowOf(ticketFields, row),
    requesterName: row.requester_name as string,
    requesterEmail: (row.requester_email as string | null) ?? null,
    assigneeName: (row.assignee_name as string | null) ?? null,
    teamName: (row.team_name as string | null) ?? null,
  };
  const stored = (row.files as Record<string, unknown>[]).map((f) => rowOf<typeof attachments.$inferSelect>(attachmentFields, f));
  return { joined, files: stored };
}

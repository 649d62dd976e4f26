import { sql, type SQL } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  customType,
  index,
  integer,
  jsonb,
  pgEnum,
  pgSequence,
  pgTable,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { customers } from '../customers/customers.table.js';
import { teams } from '../teams/teams.table.js';
import { users } from '../users/users.table.js';

export const ticketChannel = pgEnum('ticket_channel', ['email', 'chat', 'portal', 'phone', 'walk_in', 'api']);
export const ticketStatus = pgEnum('ticket_status', ['new', 'open', 'pending', 'on_hold', 'solved', 'closed']);
/** Declared from lowest to highest so that ordering by priority means something. */
export const ticketPriority = pgEnum('ticket_priority', ['low', 'normal', 'high', 'urgent']);
export const messageAuthorKind = pgEnum('message_author_kind', ['customer', 'agent', 'system']);

const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

/**
 * A text's search vector, by the database's `search_vector()` (migration 0012): the text is
 * normalised (Arabic and Persian letter variants, diacritics, ZWNJ, ё, case, Unicode punctuation)
 * and indexed under several configurations at once, so a query finds stemmed English, Russian and
 * Arabic words and exact words in any script (Persian has no stemmer: 'simple').
 */
export function searchVector(column: string): SQL {
  return sql`search_vector(${sql.raw(column)})`;
}

export const ticketNumberSeq = pgSequence('ticket_number_seq', { startWith: 1000 });

export const tickets = pgTable(
  'tickets',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    number: bigint('number', { mode: 'number' })
      .notNull()
      .unique()
      .default(sql`nextval('ticket_number_seq')`),
    subject: text('subject').notNull(),
    channel: ticketChannel('channel').notNull(),
    status: ticketStatus('status').notNull().default('new'),
    priority: ticketPriority('priority').notNull().default('normal'),
    category: text('category'),
    tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
    teamId: uuid('team_id').references(() => teams.id, { onDelete: 'set null' }),
    assigneeId: uuid('assignee_id').references(() => users.id, { onDelete: 'set null' }),
    requesterId: uuid('requester_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    mergedIntoId: uuid('merged_into_id'),
    version: integer('version').notNull().default(1),
    messageCount: integer('message_count').notNull().default(0),
    lastMessageAt: timestamp('last_message_at', { withTimezone: true }),
    firstResponseAt: timestamp('first_response_at', { withTimezone: true }),
    solvedAt: timestamp('solved_at', { withTimezone: true }),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    /** The earliest due time of the ticket's open SLA targets (internal ones too), kept by the SLA module for the queue's sort. */
    slaDueAt: timestamp('sla_due_at', { withTimezone: true }),
    search: tsvector('search').generatedAlwaysAs(() => searchVector('subject')),
  },
  // Plain DESC is NULLS FIRST in PostgreSQL; the lists order by `updated_at desc, id desc`, and an
  // index declared NULLS LAST cannot serve that order in either direction (a seq scan and sort of every row).
  (t) => [
    index('tickets_updated_idx').on(t.updatedAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    index('tickets_status_updated_idx').on(t.status, t.updatedAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    index('tickets_assignee_updated_idx').on(t.assigneeId, t.updatedAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    index('tickets_team_updated_idx').on(t.teamId, t.updatedAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    index('tickets_requester_updated_idx').on(t.requesterId, t.updatedAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    index('tickets_tags_idx').using('gin', t.tags),
    // The dispatcher counts an agent's open tickets and takes a team's oldest waiting one: both
    // read only open tickets, so their cost follows open work, not the desk's history.
    index('tickets_open_assignee_idx').on(t.assigneeId).where(sql`status in ('new', 'open', 'pending', 'on_hold')`),
    // "Due first" and "due last": tickets without an open target sort last both ways, so the key is never null.
    index('tickets_sla_due_idx').on(sql`coalesce(${t.slaDueAt}, 'infinity'::timestamptz)`, t.id),
    index('tickets_sla_due_desc_idx').on(sql`coalesce(${t.slaDueAt}, '-infinity'::timestamptz) desc`, t.id.desc().nullsFirst()),
    index('tickets_waiting_team_idx').on(t.teamId, t.createdAt).where(sql`assignee_id is null and status in ('new', 'open', 'pending', 'on_hold')`),
  ],
);

export const messages = pgTable(
  'messages',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    internal: boolean('internal').notNull().default(false),
    authorKind: messageAuthorKind('author_kind').notNull(),
    authorUserId: uuid('author_user_id').references(() => users.id, { onDelete: 'set null' }),
    authorCustomerId: uuid('author_customer_id').references(() => customers.id, { onDelete: 'set null' }),
    channel: ticketChannel('channel').notNull(),
    body: text('body').notNull(),
    bodyHtml: text('body_html'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    search: tsvector('search').generatedAlwaysAs(() => searchVector('body')),
  },
  (t) => [index('messages_ticket_idx').on(t.ticketId, t.createdAt)],
);

/**
 * One search document per ticket, kept by triggers (migration 0012) whatever path writes: the
 * subject and every message's vector (`staff`), and the same without internal notes (`customer`).
 * A query is matched against all of a ticket's texts together, so its words may be spread over
 * them and a `-word` excludes a ticket that has the word anywhere the reader may look.
 * `customer` is not indexed: a customer's search runs over their own few tickets.
 */
export const ticketSearch = pgTable(
  'ticket_search',
  {
    ticketId: uuid('ticket_id')
      .primaryKey()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    staff: tsvector('staff').notNull(),
    customer: tsvector('customer').notNull(),
  },
  (t) => [index('ticket_search_staff_idx').using('gin', t.staff)],
);

export const attachments = pgTable(
  'attachments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    messageId: uuid('message_id')
      .notNull()
      .references(() => messages.id, { onDelete: 'cascade' }),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    filename: text('filename').notNull(),
    contentType: text('content_type').notNull(),
    size: integer('size').notNull(),
    storageKey: text('storage_key').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  // The storage key's index lets the daily sweep tell leftover files from named ones.
  (t) => [index('attachments_message_idx').on(t.messageId), index('attachments_storage_key_idx').on(t.storageKey)],
);

/** The ticket's history: one row per change, written in the transaction that made it. */
export const ticketEvents = pgTable(
  'ticket_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    type: text('type').notNull(),
    actorUserId: uuid('actor_user_id').references(() => users.id, { onDelete: 'set null' }),
    actorCustomerId: uuid('actor_customer_id').references(() => customers.id, { onDelete: 'set null' }),
    data: jsonb('data').notNull().default(sql`'{}'::jsonb`),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('ticket_events_ticket_idx').on(t.ticketId, t.id), index('ticket_events_customer_idx').on(t.actorCustomerId)],
);

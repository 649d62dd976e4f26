import { sql } from 'drizzle-orm';
import { bigint, boolean, index, integer, jsonb, pgEnum, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid, type AnyPgColumn } from 'drizzle-orm/pg-core';
import { teams } from '../teams/teams.table.js';
import { messages, tickets } from '../tickets/tickets.table.js';

export const inboundMethod = pgEnum('mailbox_inbound_method', ['smtp', 'imap', 'http']);
export const closedReplyAction = pgEnum('mailbox_closed_reply_action', ['follow_up', 'reopen']);

/** An address customers write to: where its mail comes from, which team gets it, how replies leave. */
export const mailboxes = pgTable(
  'mailboxes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    address: text('address').notNull(),
    name: text('name').notNull(),
    teamId: uuid('team_id').references(() => teams.id, { onDelete: 'set null' }),
    inboundMethod: inboundMethod('inbound_method').notNull().default('smtp'),
    /** IMAP: host, port, secure, user, password, folder. Secrets are never presented back. */
    imap: jsonb('imap').$type<ImapSettings | null>(),
    /** Outbound relay for this mailbox; null means FRONTLINE_SMTP_URL. */
    smtpUrl: text('smtp_url'),
    responseHours: integer('response_hours').notNull().default(4),
    closedReplyAction: closedReplyAction('closed_reply_action').notNull().default('follow_up'),
    autoReplies: boolean('auto_replies').notNull().default(true),
    active: boolean('active').notNull().default(true),
    /** Why fetching from the IMAP server fails, since when; null while it works. */
    imapError: text('imap_error'),
    imapErrorAt: timestamp('imap_error_at', { withTimezone: true }),
    /** The highest UID stored from the folder, and the folder's UIDVALIDITY it belongs to. */
    imapUidValidity: bigint('imap_uid_validity', { mode: 'number' }),
    imapLastUid: bigint('imap_last_uid', { mode: 'number' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('mailboxes_address_key').on(sql`lower(${t.address})`)],
);

export type ImapSettings = { host: string; port: number; secure: boolean; user: string; password: string; folder: string };

export const inboundStatus = pgEnum('inbound_email_status', ['pending', 'processed', 'duplicate', 'bounce', 'failed']);

/** Every accepted raw message, stored before the sender hears "accepted"; processed by a job. */
export const inboundEmails = pgTable(
  'inbound_emails',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    mailboxId: uuid('mailbox_id').references(() => mailboxes.id, { onDelete: 'set null' }),
    source: text('source').notNull(),
    sha256: text('sha256').notNull(),
    size: integer('size').notNull(),
    storageKey: text('storage_key').notNull(),
    envelopeFrom: text('envelope_from'),
    envelopeTo: text('envelope_to').array().notNull().default(sql`'{}'::text[]`),
    status: inboundStatus('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    retries: integer('retries').notNull().default(0),
    error: text('error'),
    /** Over the size limit when fetched (IMAP): only its headers were stored, so it cannot be processed. */
    headersOnly: boolean('headers_only').notNull().default(false),
    /** Headers only, fetched whole once the limit allowed: the row that holds the whole message. */
    replacedBy: uuid('replaced_by').references((): AnyPgColumn => inboundEmails.id, { onDelete: 'set null' }),
    /** Headers only, and not found on the mail server when the limit allowed it: polls stop looking; a retry looks again. */
    heldMissingAt: timestamp('held_missing_at', { withTimezone: true }),
    headerMessageId: text('header_message_id'),
    subject: text('subject'),
    fromAddress: text('from_address'),
    ticketId: uuid('ticket_id').references(() => tickets.id, { onDelete: 'set null' }),
    messageId: uuid('message_id').references(() => messages.id, { onDelete: 'set null' }),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
    processedAt: timestamp('processed_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('inbound_emails_sha256_key').on(t.sha256),
    index('inbound_emails_status_idx').on(t.status, t.receivedAt),
    index('inbound_emails_storage_key_idx').on(t.storageKey),
    // Every IMAP poll asks for held mail that now fits; the index holds only such rows, so usually none.
    index('inbound_emails_held_idx')
      .on(t.mailboxId, t.size)
      .where(sql`${t.headersOnly} and ${t.status} = 'failed' and ${t.headerMessageId} is not null and ${t.heldMissingAt} is null`),
  ],
);

/** A ticket message that travelled by email, in or out, keyed by its Message-ID for threading. */
export const emailMessages = pgTable(
  'email_messages',
  {
    messageId: uuid('message_id')
      .primaryKey()
      .references(() => messages.id, { onDelete: 'cascade' }),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    direction: text('direction').$type<'in' | 'out'>().notNull(),
    headerMessageId: text('header_message_id').notNull(),
    inboundId: uuid('inbound_id').references(() => inboundEmails.id, { onDelete: 'set null' }),
    fromAddress: text('from_address'),
    /** Inbound only: the mail's own References, the chain before it (perhaps begun elsewhere); our answers carry it on. */
    references: text('references').array().notNull().default(sql`'{}'::text[]`),
    /** Inbound only: the Reply-To address when it differs from From; replies go there. */
    replyTo: text('reply_to'),
    toAddresses: text('to_addresses').array().notNull().default(sql`'{}'::text[]`),
    ccAddresses: text('cc_addresses').array().notNull().default(sql`'{}'::text[]`),
    subject: text('subject'),
    /** Sanitised HTML: remote images wait for the agent's consent (data-remote-src). */
    html: text('html'),
    fullText: text('full_text'),
    /** True when quoted history or a signature was collapsed out of the message body. */
    collapsed: boolean('collapsed').notNull().default(false),
    remoteImages: integer('remote_images').notNull().default(0),
    /** Inbound only: what tells a copy of this mail from another mail under its Message-ID (see copy-key.ts); null before 2026-12-02. */
    contentHash: text('content_hash'),
    /** Inbound only: an earlier, different mail came with the same Message-ID (a mailer that reuses ids). */
    idReused: boolean('id_reused').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // One message claims each Message-ID; different mail under an id already taken is kept as well,
    // without claiming it (id_reused), so a mailer that reuses ids loses no mail.
    uniqueIndex('email_messages_header_key').on(t.headerMessageId).where(sql`not ${t.idReused}`),
    // Replies are matched whatever the letter case of the id they quote (some mail systems change it).
    index('email_messages_header_lower_idx').on(sql`lower(${t.headerMessageId})`),
    index('email_messages_ticket_idx').on(t.ticketId, t.createdAt),
  ],
);

/** People copied on an email ticket; replies go to them too. */
export const ticketParticipants = pgTable(
  'ticket_participants',
  {
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    email: text('email').notNull(),
    name: text('name'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.ticketId, t.email] })],
);

export const outboundKind = pgEnum('outbound_email_kind', ['reply', 'acknowledgement', 'resolved']);
export const outboundStatus = pgEnum('outbound_email_status', ['pending', 'sent', 'failed', 'bounced']);

/** The outbox: saved in the transaction that made the reply, then sent by a job that retries. */
export const outboundEmails = pgTable(
  'outbound_emails',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: outboundKind('kind').notNull(),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    messageId: uuid('message_id').references(() => messages.id, { onDelete: 'cascade' }),
    mailboxId: uuid('mailbox_id').references(() => mailboxes.id, { onDelete: 'set null' }),
    fromName: text('from_name'),
    fromAddress: text('from_address').notNull(),
    toAddress: text('to_address').notNull(),
    ccAddresses: text('cc_addresses').array().notNull().default(sql`'{}'::text[]`),
    subject: text('subject').notNull(),
    headerMessageId: text('header_message_id').notNull(),
    inReplyTo: text('in_reply_to'),
    references: text('references').array().notNull().default(sql`'{}'::text[]`),
    text: text('text').notNull(),
    html: text('html'),
    language: text('language').notNull().default('en'),
    status: outboundStatus('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    bounceReason: text('bounce_reason'),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('outbound_emails_header_key').on(t.headerMessageId),
    index('outbound_emails_header_lower_idx').on(sql`lower(${t.headerMessageId})`),
    index('outbound_emails_ticket_idx').on(t.ticketId, t.createdAt),
    index('outbound_emails_to_idx').on(t.toAddress, t.createdAt),
    index('outbound_emails_message_idx').on(t.messageId),
  ],
);

import { sql } from 'drizzle-orm';
import { index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { customers } from '../customers/customers.table.js';
import { teams } from '../teams/teams.table.js';
import { tickets } from '../tickets/tickets.table.js';
import { users } from '../users/users.table.js';

export type HandoffSummary = { tried: string; customerAnswers: string };

/** A move up a tier or to a supervisor, with the handoff so the customer is never asked again. */
export const escalations = pgTable(
  'escalations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    /** tier2 | supervisor */
    target: text('target').notNull(),
    /** agent | customer */
    requestedBy: text('requested_by').notNull(),
    actorUserId: uuid('actor_user_id').references(() => users.id, { onDelete: 'set null' }),
    actorCustomerId: uuid('actor_customer_id').references(() => customers.id, { onDelete: 'set null' }),
    fromTeamId: uuid('from_team_id').references(() => teams.id, { onDelete: 'set null' }),
    toTeamId: uuid('to_team_id').references(() => teams.id, { onDelete: 'set null' }),
    toUserId: uuid('to_user_id').references(() => users.id, { onDelete: 'set null' }),
    reason: text('reason').notNull(),
    summary: jsonb('summary').$type<HandoffSummary | null>(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('escalations_ticket_idx').on(t.ticketId, t.createdAt), index('escalations_actor_idx').on(t.actorUserId)],
);

/** "I will get back to you by …": kept by a public agent reply before it is due, else missed. */
export const followUps = pgTable(
  'follow_ups',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    agentId: uuid('agent_id').references(() => users.id, { onDelete: 'set null' }),
    dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
    note: text('note').notNull(),
    /** pending | kept | missed */
    state: text('state').notNull().default('pending'),
    remindedAt: timestamp('reminded_at', { withTimezone: true }),
    keptAt: timestamp('kept_at', { withTimezone: true }),
    missedAt: timestamp('missed_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('follow_ups_ticket_idx').on(t.ticketId).where(sql`state = 'pending'`)],
);

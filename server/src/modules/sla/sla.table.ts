import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, real, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { teams } from '../teams/teams.table.js';
import { tickets } from '../tickets/tickets.table.js';
import { users } from '../users/users.table.js';
import type { OpeningHours } from './business-time.js';

/** Opening hours and holidays. The row with no team is the desk's default; a team may have its own. */
export const businessCalendars = pgTable(
  'business_calendars',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    teamId: uuid('team_id').references(() => teams.id, { onDelete: 'cascade' }),
    isDefault: boolean('is_default').notNull().default(false),
    /** Null: the team's time zone (or UTC for the default). */
    timeZone: text('time_zone'),
    hours: jsonb('hours').$type<OpeningHours[]>().notNull(),
    holidays: text('holidays').array().notNull().default(sql`'{}'::text[]`),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('business_calendars_team_key').on(t.teamId), uniqueIndex('business_calendars_default_key').on(t.isDefault).where(sql`is_default`)],
);

export const slaMetrics = ['answer', 'callback', 'first_response', 'next_response', 'resolution', 'tier2'] as const;
export type SlaMetric = (typeof slaMetrics)[number];
export type SlaTargetSpec = { metric: SlaMetric; seconds: number; businessHours: boolean };
export type SlaConditions = {
  channels?: string[];
  priorities?: string[];
  organizationIds?: string[];
  /** The requester's service tier (their own, else their organization's). */
  tiers?: string[];
  categories?: string[];
  teamIds?: string[];
  tags?: string[];
};
export type BreachActions = { raisePriority?: boolean; reassignTeamId?: string | null; notifyUserIds?: string[] };

/** The first active policy, by position, whose conditions all match a ticket sets its targets. */
export const slaPolicies = pgTable(
  'sla_policies',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    position: integer('position').notNull().default(100),
    active: boolean('active').notNull().default(true),
    conditions: jsonb('conditions').$type<SlaConditions>().notNull().default(sql`'{}'::jsonb`),
    targets: jsonb('targets').$type<SlaTargetSpec[]>().notNull(),
    /** Share of the target after which a warning fires. */
    warnAt: real('warn_at').notNull().default(0.75),
    breachActions: jsonb('breach_actions').$type<BreachActions>().notNull().default(sql`'{}'::jsonb`),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('sla_policies_position_idx').on(t.position)],
);

/**
 * One running promise on one ticket. Time is kept as business seconds already used plus the
 * instant the clock last started, so a pause, a new policy or a new calendar recomputes the due
 * time without replaying history. `generation` changes whenever the timers are rescheduled;
 * a timer job from an older generation does nothing.
 */
export const ticketSlaTargets = pgTable(
  'ticket_sla_targets',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    metric: text('metric').$type<SlaMetric>().notNull(),
    policyId: uuid('policy_id').references(() => slaPolicies.id, { onDelete: 'set null' }),
    /** active | paused | met | breached | cancelled */
    state: text('state').notNull(),
    targetSeconds: integer('target_seconds').notNull(),
    businessHours: boolean('business_hours').notNull(),
    warnShare: real('warn_share').notNull().default(0.75),
    usedSeconds: real('used_seconds').notNull().default(0),
    runningSince: timestamp('running_since', { withTimezone: true }),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    pausedAt: timestamp('paused_at', { withTimezone: true }),
    dueAt: timestamp('due_at', { withTimezone: true }),
    warnAtTime: timestamp('warn_at', { withTimezone: true }),
    warnedAt: timestamp('warned_at', { withTimezone: true }),
    breachedAt: timestamp('breached_at', { withTimezone: true }),
    metAt: timestamp('met_at', { withTimezone: true }),
    generation: integer('generation').notNull().default(0),
    /** Internal targets (time at L2) are hidden from customers. */
    internal: boolean('internal').notNull().default(false),
  },
  (t) => [
    uniqueIndex('ticket_sla_targets_ticket_metric_key').on(t.ticketId, t.metric),
    // The at-risk list's order and keyset (no due time last, ties by id).
    index('ticket_sla_targets_due_idx').on(sql`coalesce(${t.dueAt}, 'infinity'::timestamptz)`, t.id).where(sql`state in ('active', 'breached')`),
    // The queue's Breached and At risk views start from these instead of every ticket.
    index('ticket_sla_targets_breached_idx').on(t.ticketId).where(sql`state = 'breached' and met_at is null`),
    index('ticket_sla_targets_warn_idx').on(sql`coalesce(${t.warnAtTime}, ${t.warnedAt})`).where(sql`state = 'active'`),
  ],
);

/** Messages to staff (warnings, breaches, reminders), read through GET /notifications. */
export const staffNotifications = pgTable(
  'staff_notifications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    ticketId: uuid('ticket_id').references(() => tickets.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    readAt: timestamp('read_at', { withTimezone: true }),
  },
  // DESC NULLS FIRST, as the list's ORDER BY ... DESC reads (migration 0004 explains why it matters).
  (t) => [index('staff_notifications_user_idx').on(t.userId, t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst())],
);

import { boolean, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { teams } from '../teams/teams.table.js';
import { users } from '../users/users.table.js';

export const assignmentStrategies = ['round_robin', 'least_loaded', 'skills'] as const;
export type AssignmentStrategy = (typeof assignmentStrategies)[number];

/** How new tickets of a team are handed out. The row is locked while assigning, so nodes take turns. */
export const assignmentRules = pgTable('assignment_rules', {
  teamId: uuid('team_id')
    .primaryKey()
    .references(() => teams.id, { onDelete: 'cascade' }),
  enabled: boolean('enabled').notNull().default(true),
  strategy: text('strategy').$type<AssignmentStrategy>().notNull().default('round_robin'),
  /** Most open tickets an agent may hold before the dispatcher skips them. */
  maxOpenPerAgent: integer('max_open_per_agent').notNull().default(10),
  lastAssignedUserId: uuid('last_assigned_user_id').references(() => users.id, { onDelete: 'set null' }),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

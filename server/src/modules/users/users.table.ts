import { sql } from 'drizzle-orm';
import { boolean, index, pgEnum, pgTable, smallint, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { customers } from '../customers/customers.table.js';

export const userRole = pgEnum('user_role', [
  'admin',
  'manager',
  'supervisor',
  'dispatcher',
  'analyst',
  'agent',
  'customer',
]);
export const availability = pgEnum('availability', ['online', 'away', 'offline']);

/** Everyone who can sign in: staff in their roles, and customers' portal accounts. */
export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    email: text('email').notNull(),
    name: text('name').notNull(),
    role: userRole('role').notNull(),
    passwordHash: text('password_hash'),
    mustChangePassword: boolean('must_change_password').notNull().default(false),
    tier: smallint('tier'),
    skills: text('skills').array().notNull().default(sql`'{}'::text[]`),
    availability: availability('availability').notNull().default('offline'),
    language: text('language').notNull().default('en'),
    signature: text('signature'),
    customerId: uuid('customer_id').references(() => customers.id, { onDelete: 'cascade' }),
    active: boolean('active').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('users_email_key').on(sql`lower(${t.email})`),
    index('users_role_idx').on(t.role),
    // The staff list pages by name, then id; portal accounts (customers) are not in it.
    index('users_staff_list_idx').on(t.name, t.id).where(sql`${t.role} <> 'customer'`),
  ],
);

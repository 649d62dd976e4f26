import { sql } from 'drizzle-orm';
import { index, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

export const customerKind = pgEnum('customer_kind', ['external', 'internal']);

export const organizations = pgTable(
  'organizations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    domains: text('domains').array().notNull().default(sql`'{}'::text[]`),
    notes: text('notes'),
    /** Service tier (e.g. premium): SLA policies may match on it. */
    tier: text('tier'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  // The list pages by name, then id.
  (t) => [uniqueIndex('organizations_name_key').on(sql`lower(${t.name})`), index('organizations_list_idx').on(t.name, t.id)],
);

/** A person who asks for help: a customer of the company, or an employee (internal, with a department). */
export const customers = pgTable(
  'customers',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    kind: customerKind('kind').notNull().default('external'),
    department: text('department'),
    organizationId: uuid('organization_id').references(() => organizations.id, { onDelete: 'set null' }),
    language: text('language').notNull().default('en'),
    timeZone: text('time_zone'),
    phones: text('phones').array().notNull().default(sql`'{}'::text[]`),
    notes: text('notes'),
    /** The customer's own service tier; when null, their organization's counts. */
    tier: text('tier'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('customers_org_idx').on(t.organizationId), index('customers_name_idx').on(sql`lower(${t.name})`)],
);

export const customerEmails = pgTable(
  'customer_emails',
  {
    email: text('email').primaryKey(),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('customer_emails_customer_idx').on(t.customerId)],
);

import { and, desc, eq, inArray, notInArray, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import type { AppContext } from '../../platform/context.js';
import { AppError, conflict, notFound } from '../../platform/errors.js';
import { customerEmails, customers, organizations } from './customers.table.js';
import type { CreateCustomerInput, ListCustomersQuery, UpdateCustomerInput } from './customers.schema.js';
import { decodeCursor, encodeCursor } from '../../platform/cursor.js';

export const normalizeEmail = (email: string) => email.trim().toLowerCase();

type CustomerRow = typeof customers.$inferSelect;

/** Finds the customer who owns an address, or makes one; safe when two requests race. */
/** The customer who owns this address, if any. */
export async function findCustomerByEmail(db: DbOrTx, address: string): Promise<CustomerRow | undefined> {
  const [row] = await db
    .select({ customer: customers })
    .from(customerEmails)
    .innerJoin(customers, eq(customers.id, customerEmails.customerId))
    .where(eq(customerEmails.email, normalizeEmail(address)));
  return row?.customer;
}

/** The customers holding these addresses, by address (normalised); one statement for a whole batch of mail. */
export async function customersByEmail(db: DbOrTx, addresses: string[]): Promise<Map<string, CustomerRow>> {
  const wanted = [...new Set(addresses.map(normalizeEmail))];
  if (!wanted.length) return new Map();
  const rows = await db
    .select({ email: customerEmails.email, customer: customers })
    .from(customerEmails)
    .innerJoin(customers, eq(customers.id, customerEmails.customerId))
    .where(inArray(customerEmails.email, wanted));
  return new Map(rows.map((r) => [r.email, r.customer]));
}

export async function findOrCreateCustomerByEmail(
  tx: DbOrTx,
  input: { email: string; name?: string; language?: string },
): Promise<CustomerRow> {
  const email = normalizeEmail(input.email);
  const existing = await findCustomerByEmail(tx, email);
  if (existing) return existing;
  const domain = email.split('@')[1] ?? '';
  const [org] = await tx
    .select({ id: organizations.id })
    .from(organizations)
    .where(sql`${domain} = any(${organizations.domains})`)
    .limit(1);
  const [created] = await tx
    .insert(customers)
    .values({ name: input.name?.trim() || email.split('@')[0], language: input.language ?? 'en', organizationId: org?.id })
    .returning();
  const claimed = await tx.insert(customerEmails).values({ email, customerId: created.id }).onConflictDoNothing().returning();
  if (claimed.length) return created;
  // Another request took the address first: use theirs.
  await tx.delete(customers).where(eq(customers.id, created.id));
  return (await findCustomerByEmail(tx, email))!;
}

export async function emailsOf(tx: DbOrTx, customerIds: string[]): Promise<Map<string, string[]>> {
  const map = new Map<string, string[]>();
  if (!customerIds.length) return map;
  const rows = await tx
    .select()
    .from(customerEmails)
    .where(inArray(customerEmails.customerId, customerIds))
    .orderBy(customerEmails.createdAt);
  for (const r of rows) map.set(r.customerId, [...(map.get(r.customerId) ?? []), r.email]);
  return map;
}

async function assertOrganization(tx: DbOrTx, id: string | null | undefined) {
  if (!id) return;
  const [org] = await tx.select({ id: organizations.id }).from(organizations).where(eq(organizations.id, id));
  if (!org) throw new AppError(400, 'invalid_organization', 'organizationId: no such organization', { field: 'organizationId' });
}

async function claimEmails(tx: DbOrTx, customerId: string, emails: string[]) {
  for (const raw of emails) {
    const email = normalizeEmail(raw);
    // Insert first: two requests claiming one new address at once both get an answer (one a 409).
    const [made] = await tx.insert(customerEmails).values({ email, customerId }).onConflictDoNothing().returning();
    if (made) continue;
    const [owner] = await tx.select().from(customerEmails).where(eq(customerEmails.email, email));
    if (owner && owner.customerId !== customerId) {
      throw conflict('email_taken', `${email} already belongs to another customer`, { field: 'emails' });
    }
  }
}

export async function createCustomer(ctx: AppContext, input: CreateCustomerInput) {
  return ctx.db.transaction(async (tx) => {
    await assertOrganization(tx, input.organizationId);
    const [row] = await tx
      .insert(customers)
      .values({
        name: input.name,
        kind: input.kind,
        department: input.department,
        organizationId: input.organizationId,
        language: input.language,
        timeZone: input.timeZone,
        phones: input.phones,
        notes: input.notes,
        tier: input.tier,
      })
      .returning();
    await claimEmails(tx, row.id, input.emails);
    return getCustomer(tx, row.id);
  });
}

export async function updateCustomer(ctx: AppContext, id: string, input: UpdateCustomerInput) {
  return ctx.db.transaction(async (tx) => {
    await assertOrganization(tx, input.organizationId);
    const { emails, ...fields } = input;
    const [row] = await tx
      .update(customers)
      .set({ ...fields, updatedAt: ctx.clock.now() })
      .where(eq(customers.id, id))
      .returning();
    if (!row) throw notFound('Customer');
    if (emails) {
      await claimEmails(tx, id, emails);
      const keep = emails.map(normalizeEmail);
      await tx
        .delete(customerEmails)
        .where(and(eq(customerEmails.customerId, id), notInArray(customerEmails.email, keep)));
    }
    return getCustomer(tx, id);
  });
}

export async function getCustomer(tx: DbOrTx, id: string) {
  const [row] = await tx
    .select({ customer: customers, organizationName: organizations.name })
    .from(customers)
    .leftJoin(organizations, eq(organizations.id, customers.organizationId))
    .where(eq(customers.id, id));
  if (!row) throw notFound('Customer');
  const emails = await emailsOf(tx, [id]);
  return presentCustomer(row.customer, emails.get(id) ?? [], row.organizationName);
}

export function presentCustomer(c: CustomerRow, emails: string[], organizationName: string | null) {
  return {
    id: c.id,
    name: c.name,
    emails,
    phones: c.phones,
    kind: c.kind,
    department: c.department,
    organization: c.organizationId ? { id: c.organizationId, name: organizationName } : null,
    language: c.language,
    timeZone: c.timeZone,
    notes: c.notes,
    tier: c.tier,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
  };
}

const ARABIC_DIGITS = '٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹';
const ASCII_DIGITS = '01234567890123456789';

/** The digits of a query that looks like (part of) a phone number, at least three; else undefined. */
function phoneDigits(q: string): string | undefined {
  const ascii = q.replace(/[\u0660-\u0669\u06f0-\u06f9]/g, (d) => String(d.charCodeAt(0) & 0xf));
  if (!/^[+\d\s().\-\/]+$/.test(ascii)) return undefined;
  const digits = ascii.replace(/\D/g, '');
  return digits.length >= 3 ? digits : undefined;
}

export async function listCustomers(ctx: AppContext, q: ListCustomersQuery) {
  const where: SQL[] = [];
  if (q.q) {
    const like = `%${q.q.replace(/[%_\\]/g, '\\$&')}%`;
    // Names are folded as ticket search folds texts (search_text, migration 0012): Cyrillic capitals
    // on a C-locale server, ё and е, Persian and Arabic yeh and kaf, ZWNJ.
    const digits = phoneDigits(q.q);
    // A phone number matches on its digits alone: caller ID "+971501234567" finds "+971 50 123 4567".
    const phone = digits
      ? sql` or exists (select 1 from unnest(${customers.phones}) p where regexp_replace(translate(p, ${ARABIC_DIGITS}, ${ASCII_DIGITS}), '[^0-9]', '', 'g') like ${`%${digits}%`})`
      : sql``;
    where.push(
      sql`(strpos(lower(search_text(${customers.name})), lower(search_text(${q.q}))) > 0 or exists (select 1 from customer_emails e where e.customer_id = ${customers.id} and e.email ilike ${like})${phone})`,
    );
  }
  if (q.organizationId) where.push(eq(customers.organizationId, q.organizationId));
  if (q.kind) where.push(eq(customers.kind, q.kind));
  const cursor = q.cursor ? decodeCursor(q.cursor, 'customers', 'timestamp') : undefined;
  if (cursor) where.push(sql`(${customers.createdAt}, ${customers.id}) < (${cursor.value}::timestamptz, ${cursor.id}::uuid)`);
  const rows = await ctx.db
    .select({ customer: customers, organizationName: organizations.name, cursorValue: sql<string>`${customers.createdAt}::text` })
    .from(customers)
    .leftJoin(organizations, eq(organizations.id, customers.organizationId))
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(customers.createdAt), desc(customers.id))
    .limit(q.limit + 1);
  const page = rows.slice(0, q.limit);
  const emails = await emailsOf(ctx.db, page.map((r) => r.customer.id));
  const last = page[page.length - 1];
  return {
    data: page.map((r) => presentCustomer(r.customer, emails.get(r.customer.id) ?? [], r.organizationName)),
    nextCursor: rows.length > q.limit && last ? encodeCursor('customers', last.cursorValue, last.customer.id) : null,
  };
}

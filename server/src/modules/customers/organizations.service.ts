import { and, asc, eq, ne, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import type { AppContext } from '../../platform/context.js';
import { decodeCursor, encodeCursor } from '../../platform/cursor.js';
import { conflict, notFound } from '../../platform/errors.js';
import type { CreateOrganizationInput, ListOrganizationsQuery, UpdateOrganizationInput } from './customers.schema.js';
import { organizations } from './customers.table.js';

type OrgRow = typeof organizations.$inferSelect;

const present = (o: OrgRow) => ({ id: o.id, name: o.name, domains: o.domains, notes: o.notes, tier: o.tier, createdAt: o.createdAt.toISOString() });

/** A domain belongs to one organization: a new address there joins it, so two could not both claim it. */
async function assertDomainsFree(tx: DbOrTx, domains: string[] | undefined, except?: string) {
  if (!domains?.length) return;
  const [taken] = await tx
    .select({ name: organizations.name, domains: organizations.domains })
    .from(organizations)
    .where(and(sql`${organizations.domains} && array[${sql.join(domains.map((d) => sql`${d}`), sql`, `)}]::text[]`, except ? ne(organizations.id, except) : undefined))
    .limit(1);
  if (taken) {
    const domain = domains.find((d) => taken.domains.includes(d));
    throw conflict('domain_taken', `${domain} already belongs to ${taken.name}`, { field: 'domains' });
  }
}

export async function createOrganization(ctx: AppContext, input: CreateOrganizationInput) {
  return ctx.db.transaction(async (tx) => {
    await assertDomainsFree(tx, input.domains);
    const rows = await tx.insert(organizations).values(input).onConflictDoNothing().returning();
    if (!rows[0]) throw conflict('organization_exists', `An organization named ${input.name} already exists`, { field: 'name' });
    return present(rows[0]);
  });
}

/** A page of organizations by name; `q` finds a part of the name (folded as customer search folds it) or of a domain. */
export async function listOrganizations(ctx: AppContext, q: ListOrganizationsQuery) {
  const where: SQL[] = [];
  if (q.q) {
    const like = `%${q.q.replace(/[%_\\]/g, '\\$&')}%`;
    where.push(
      sql`(strpos(lower(search_text(${organizations.name})), lower(search_text(${q.q}))) > 0 or exists (select 1 from unnest(${organizations.domains}) d where d ilike ${like}))`,
    );
  }
  const cursor = q.cursor ? decodeCursor(q.cursor, 'organizations', 'text') : undefined;
  if (cursor) where.push(sql`(${organizations.name}, ${organizations.id}) > (${cursor.value}, ${cursor.id}::uuid)`);
  const rows = await ctx.db
    .select()
    .from(organizations)
    .where(where.length ? and(...where) : undefined)
    .orderBy(asc(organizations.name), asc(organizations.id))
    .limit(q.limit + 1);
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  return { data: page.map(present), nextCursor: rows.length > q.limit && last ? encodeCursor('organizations', last.name, last.id) : null };
}

export async function getOrganization(ctx: AppContext, id: string) {
  const [row] = await ctx.db.select().from(organizations).where(eq(organizations.id, id));
  if (!row) throw notFound('Organization');
  return present(row);
}

export async function updateOrganization(ctx: AppContext, id: string, input: UpdateOrganizationInput) {
  return ctx.db.transaction(async (tx) => {
    if (input.name) {
      const [taken] = await tx.select({ id: organizations.id }).from(organizations).where(and(sql`lower(${organizations.name}) = lower(${input.name})`, ne(organizations.id, id)));
      if (taken) throw conflict('organization_exists', `An organization named ${input.name} already exists`, { field: 'name' });
    }
    await assertDomainsFree(tx, input.domains, id);
    const [row] = Object.keys(input).length
      ? await tx.update(organizations).set(input).where(eq(organizations.id, id)).returning()
      : await tx.select().from(organizations).where(eq(organizations.id, id));
    if (!row) throw notFound('Organization');
    return present(row);
  });
}

import { and, asc, eq, ne, sql } from 'drizzle-orm';
import type { AppContext } from '../../platform/context.js';
import { conflict, notFound } from '../../platform/errors.js';
import type { CreateOrganizationInput, UpdateOrganizationInput } from './customers.schema.js';
import { organizations } from './customers.table.js';

type OrgRow = typeof organizations.$inferSelect;

const present = (o: OrgRow) => ({ id: o.id, name: o.name, domains: o.domains, notes: o.notes, tier: o.tier, createdAt: o.createdAt.toISOString() });

export async function createOrganization(ctx: AppContext, input: CreateOrganizationInput) {
  const rows = await ctx.db.insert(organizations).values(input).onConflictDoNothing().returning();
  if (!rows[0]) throw conflict('organization_exists', `An organization named ${input.name} already exists`, { field: 'name' });
  return present(rows[0]);
}

export async function listOrganizations(ctx: AppContext) {
  const rows = await ctx.db.select().from(organizations).orderBy(asc(organizations.name)).limit(1000);
  return { data: rows.map(present) };
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
    const [row] = Object.keys(input).length
      ? await tx.update(organizations).set(input).where(eq(organizations.id, id)).returning()
      : await tx.select().from(organizations).where(eq(organizations.id, id));
    if (!row) throw notFound('Organization');
    return present(row);
  });
}

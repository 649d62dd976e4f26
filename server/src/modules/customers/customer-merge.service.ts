import { eq, sql } from 'drizzle-orm';
import type { AppContext } from '../../platform/context.js';
import { badRequest, conflict, notFound } from '../../platform/errors.js';
import { customers } from './customers.table.js';
import { getCustomer } from './customers.service.js';

type Reference = { tbl: string; col: string };
const identifier = /^[a-z_][a-z0-9_]*$/;

/**
 * Merges a duplicate customer into another: every row that points at the duplicate (tickets,
 * messages, events, emails, portal accounts, and any table a module adds later) is re-pointed,
 * missing profile fields are filled from the duplicate, then the duplicate is deleted. One
 * transaction; the references are read from the catalog so no module's data is cascaded away.
 */
export async function mergeCustomer(ctx: AppContext, sourceId: string, targetId: string) {
  if (sourceId === targetId) throw badRequest('merge_into_self', 'targetId: a customer cannot be merged into itself', { field: 'targetId' });
  await ctx.db.transaction(async (tx) => {
    const rows = await tx.execute(sql`select * from customers where id in (${sourceId}::uuid, ${targetId}::uuid) order by id for update`);
    const found = rows.rows as { id: string }[];
    if (!found.some((r) => r.id === sourceId)) throw notFound('Customer');
    // The customer in the path exists; what is wrong is the body's target, as for tickets.
    if (!found.some((r) => r.id === targetId)) throw badRequest('invalid_target', 'targetId: no such customer', { field: 'targetId' });
    const [source] = await tx.select().from(customers).where(eq(customers.id, sourceId));
    const [target] = await tx.select().from(customers).where(eq(customers.id, targetId));

    const refs = (
      await tx.execute(sql`
        select cl.relname as tbl, a.attname as col
        from pg_constraint c
        join pg_class cl on cl.oid = c.conrelid
        join pg_attribute a on a.attrelid = c.conrelid and a.attnum = any(c.conkey)
        where c.contype = 'f' and c.confrelid = 'customers'::regclass
      `)
    ).rows as Reference[];
    try {
      for (const { tbl, col } of refs) {
        if (!identifier.test(tbl) || !identifier.test(col)) continue;
        await tx.execute(sql`update ${sql.identifier(tbl)} set ${sql.identifier(col)} = ${targetId}::uuid where ${sql.identifier(col)} = ${sourceId}::uuid`);
      }
    } catch (err) {
      if ((err as { code?: string }).code === '23505') throw conflict('merge_conflict', 'These customers hold records that cannot be combined');
      throw err;
    }
    await tx
      .update(customers)
      .set({
        phones: [...new Set([...target.phones, ...source.phones])],
        organizationId: target.organizationId ?? source.organizationId,
        department: target.department ?? source.department,
        timeZone: target.timeZone ?? source.timeZone,
        notes: [target.notes, source.notes].filter(Boolean).join('\n\n') || null,
        updatedAt: ctx.clock.now(),
      })
      .where(eq(customers.id, targetId));
    await tx.delete(customers).where(eq(customers.id, sourceId));
  });
  return getCustomer(ctx.db, targetId);
}

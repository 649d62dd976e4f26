import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.js';
import type { AppContext } from './context.js';

/** Every column that names a stored file. A file none of them names is a leftover. */
export const storageKeyColumns = [
  { table: 'attachments', column: 'storage_key' },
  { table: 'inbound_emails', column: 'storage_key' },
] as const;

/** A file is written moments before the row that names it: one this old and unnamed never will be. */
export const LEFTOVER_AFTER_MS = 24 * 3600_000;
const BATCH = 500;

/**
 * Removes stored files that no row names and that are over a day old: the files of a write that
 * crashed between storing them and committing its row, and half-written files. Returns how many.
 */
export async function removeLeftoverFiles(ctx: Pick<AppContext, 'db' | 'storage' | 'clock'>): Promise<number> {
  const { storage } = ctx;
  if (!storage.list || !storage.removePartial) return 0;
  const before = ctx.clock.now().getTime() - LEFTOVER_AFTER_MS;
  let removed = 0;
  let batch: string[] = [];
  const flush = async () => {
    const unnamed = await unnamedKeys(ctx.db, batch);
    await Promise.all(unnamed.map((key) => storage.remove(key)));
    removed += unnamed.length;
    batch = [];
  };
  for await (const entry of storage.list()) {
    if (entry.writtenAt.getTime() > before) continue;
    if (entry.partial) {
      await storage.removePartial(entry.name);
      removed++;
      continue;
    }
    batch.push(entry.name);
    if (batch.length === BATCH) await flush();
  }
  if (batch.length) await flush();
  return removed;
}

/** The keys no row names (each column has an index on it). */
async function unnamedKeys(db: DbOrTx, keys: string[]): Promise<string[]> {
  const given = sql`select jsonb_array_elements_text(${JSON.stringify(keys)}::jsonb) as k`;
  const named = storageKeyColumns.map(
    ({ table, column }) => sql`select ${sql.identifier(column)} as k from ${sql.identifier(table)} where ${sql.identifier(column)} in (${given})`,
  );
  const result = await db.execute(sql`${given} except (${sql.join(named, sql` union all `)})`);
  return (result.rows as { k: string }[]).map((r) => r.k);
}

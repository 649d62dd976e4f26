import { readMigrationFiles } from 'drizzle-orm/migrator';
import { drizzle } from 'drizzle-orm/node-postgres';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { SQL } from 'drizzle-orm';
import pg from 'pg';
import { migrationsFolder } from '../client.js';
import { lockKeys } from '../../platform/locks.js';
import { ident, readForeignKeys, readSequences, readTables, sequenceColumns, type Query, type Table } from './catalog.js';
import { orderTables } from './table-order.js';

/** About this much text per batch, whatever the rows' sizes: a desk of any size copies in bounded memory. */
const BATCH_CHARS = 8_000_000;
const MAX_BATCH_ROWS = 2000;

export class MoveRefused extends Error {}

export type TableResult = { table: string; rows: number; ms: number };

export function queryOf(client: pg.Client): Query {
  return async (text, params) => (await client.query(text, params as unknown[])).rows;
}

/** Frontline's tables already in the target (any of the desk's, or the migrations' own record). */
export async function frontlineTablesIn(target: Query, names: string[]): Promise<string[]> {
  const rows = await target(
    `select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = 'public' and c.relname = any($1::text[])
     union all select 'drizzle.__drizzle_migrations' where to_regclass('drizzle.__drizzle_migrations') is not null
     order by 1`,
    [names],
  );
  return rows.map((r) => String(r.name));
}

/**
 * Copies the embedded desk into the empty target in one transaction on the target: the
 * migrations, every table's rows, the sequences, and a count check. Any failure rolls it all back.
 * `source` must be inside a transaction (its rows are read through cursors).
 */
export async function copyDesk(source: Query, target: pg.Client, log: (line: string) => void): Promise<TableResult[]> {
  const tq = queryOf(target);
  await tq('begin');
  try {
    // App nodes starting on the target meanwhile wait here, then find the desk already migrated.
    await tq(`select pg_advisory_xact_lock(${lockKeys.migrations})`);
    const sourceTables = await readTables(source);
    const present = await frontlineTablesIn(tq, sourceTables.map((t) => t.name));
    if (present.length) throw new MoveRefused(refusal(present));

    await migrate(target);
    const tables = await readTables(tq);
    checkSameTables(sourceTables, tables);
    const { order, deferred } = orderTables(
      tables.map((t) => t.name),
      await readForeignKeys(tq),
    );
    const byName = new Map(tables.map((t) => [t.name, t]));
    // Rows the migrations put in (the default SLA policies and calendar): the desk has its own
    // copies of them, perhaps edited or removed since.
    await tq(`truncate ${order.map(ident).join(', ')}`);

    // The triggers' work (search documents, credential notices) is in the rows being copied: it is
    // not done twice, and no notices go out for a desk nobody is using yet.
    const withTriggers = await tq(`select distinct c.relname as name from pg_trigger g join pg_class c on c.oid = g.tgrelid join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public' and not g.tgisinternal order by 1`);
    for (const { name } of withTriggers) await tq(`alter table ${ident(String(name))} disable trigger user`);
    for (const k of deferred) await tq(`alter table ${ident(k.table)} alter constraint ${ident(k.name)} deferrable initially deferred`);

    const results: TableResult[] = [];
    const width = Math.max(...order.map((t) => t.length));
    for (const name of order) {
      const started = Date.now();
      const rows = await copyTable(source, target, byName.get(name)!, (n) => log(`  ${name.padEnd(width)} ${String(n).padStart(9)} rows so far…`));
      results.push({ table: name, rows, ms: Date.now() - started });
      log(`  ${name.padEnd(width)} ${String(rows).padStart(9)} rows  ${Date.now() - started} ms`);
    }

    await tq('set constraints all immediate');
    for (const k of deferred) await tq(`alter table ${ident(k.table)} alter constraint ${ident(k.name)} not deferrable`);
    for (const { name } of withTriggers) await tq(`alter table ${ident(String(name))} enable trigger user`);
    await rebuildSearchDocuments(tq, log);
    await setSequences(source, tq);
    await checkCounts(source, tq, results);
    await tq('commit');
    return results;
  } catch (err) {
    await tq('rollback').catch(() => undefined);
    throw err;
  }
}

export function refusal(present: string[]): string {
  const shown = present.slice(0, 6).join(', ') + (present.length > 6 ? `, and ${present.length - 6} more` : '');
  return `The target database already holds ${present.length} Frontline tables (${shown}): a move never writes over a desk. Give it an empty database (for example: createdb frontline).`;
}

/** The app's migrations, inside this transaction: drizzle's own runner, which would otherwise open one of its own. */
async function migrate(target: pg.Client): Promise<void> {
  const db = drizzle(target);
  const run = (q: SQL) => db.execute(q);
  const session = { execute: run, all: async (q: SQL) => (await run(q)).rows, transaction: async (fn: (tx: unknown) => Promise<void>) => fn({ execute: run }) };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  await new PgDialect().migrate(readMigrationFiles({ migrationsFolder }), session as any, { migrationsFolder });
}

/** After both are migrated the desk and the target have the same tables; a difference would lose data. */
function checkSameTables(source: Table[], target: Table[]): void {
  const shape = (t: Table) => t.columns.map((c) => c.name).sort().join(',');
  const targetShapes = new Map(target.map((t) => [t.name, shape(t)]));
  const differ = source.filter((t) => targetShapes.get(t.name) !== shape(t)).map((t) => t.name);
  if (differ.length) throw new Error(`The embedded desk's tables differ from this version's (${differ.join(', ')}): start the desk once with this version, stop it, and move again`);
}

/** Rows go as text both ways (as pg_dump's COPY does), so every value arrives exactly as it was. */
async function copyTable(source: Query, target: pg.Client, table: Table, progress: (rows: number) => void): Promise<number> {
  const cols = table.columns;
  const names = cols.map((c) => ident(c.name)).join(', ');
  const overriding = cols.some((c) => c.identityAlways) ? ' overriding system value' : '';
  const insert =
    `insert into ${ident(table.name)} (${names})${overriding} ` +
    `select ${cols.map((c, i) => `x.c${i}::${c.type}`).join(', ')} ` +
    `from rows from (${cols.map((_, i) => `unnest($${i + 1}::text[])`).join(', ')}) as x(${cols.map((_, i) => `c${i}`).join(', ')})`;
  await source(`declare move_rows no scroll cursor for select array[${cols.map((c) => `${ident(c.name)}::text`).join(', ')}] as r from ${ident(table.name)}`);
  // Starts small and grows by at most tenfold a batch: the first rows show how big this table's are.
  let size = 10;
  let copied = 0;
  let reported = 0;
  for (;;) {
    const rows = await source(`fetch ${size} from move_rows`);
    if (!rows.length) break;
    const columns = cols.map(() => [] as (string | null)[]);
    let chars = 0;
    for (const { r } of rows) {
      (r as (string | null)[]).forEach((v, i) => {
        columns[i].push(v);
        chars += v?.length ?? 0;
      });
    }
    await target.query(insert, columns);
    copied += rows.length;
    size = Math.max(1, Math.min(MAX_BATCH_ROWS, size * 10, Math.floor((size * BATCH_CHARS) / Math.max(chars, 1))));
    if (copied - reported >= 100_000) progress((reported = copied));
  }
  await source('close move_rows');
  return copied;
}

/**
 * Search vectors depend on the server's text search dictionaries, which change between PostgreSQL
 * versions (PGlite is 18; "adding" stems to "add" there, to "ad" in 15). Generated columns are
 * computed by the target as rows arrive; the tickets' search documents, copied as they were, are
 * made again from those, so that they match the queries this server will parse.
 */
async function rebuildSearchDocuments(target: Query, log: (line: string) => void): Promise<void> {
  const [{ present }] = await target(`select to_regproc('ticket_search_rebuild') is not null as present`);
  if (!present) return;
  const started = Date.now();
  let after = '00000000-0000-0000-0000-000000000000';
  let done = 0;
  for (;;) {
    const ids = (await target(`select id::text from tickets where id > $1::uuid order by id limit 1000`, [after])).map((r) => String(r.id));
    if (!ids.length) break;
    await target(`select ticket_search_rebuild($1::uuid[])`, [ids]);
    done += ids.length;
    after = ids[ids.length - 1];
  }
  log(`  search documents of ${done} tickets made again with this server's dictionaries  ${Date.now() - started} ms`);
}

/** Each sequence where it stood on the desk, and never behind the values copied, so the next ticket gets the next number. */
async function setSequences(source: Query, target: Query): Promise<void> {
  for (const seq of await readSequences(source)) {
    await target(`select setval($1::regclass, $2::bigint, $3)`, [`public.${ident(seq.name)}`, seq.lastValue, seq.isCalled]);
    for (const { table, column } of await sequenceColumns(target, seq.name)) {
      await target(
        `select setval($1::regclass, m) from (select max(${ident(column)})::bigint as m from ${ident(table)}) x
         where m is not null and m >= (select case when is_called then last_value + 1 else last_value end from ${ident(seq.name)})`,
        [`public.${ident(seq.name)}`],
      );
    }
  }
}

async function checkCounts(source: Query, target: Query, results: TableResult[]): Promise<void> {
  for (const r of results) {
    const [[a], [b]] = await Promise.all([source(`select count(*)::int as n from ${ident(r.table)}`), target(`select count(*)::int as n from ${ident(r.table)}`)]);
    if (a.n !== r.rows || b.n !== r.rows) throw new Error(`Counts differ for ${r.table}: ${a.n} on the desk, ${r.rows} copied, ${b.n} on the target`);
  }
}

import type { ForeignKey } from './table-order.js';

/** Runs one statement and returns its rows: the embedded database and the server answer alike. */
export type Query = (text: string, params?: unknown[]) => Promise<Record<string, unknown>[]>;

export type Column = { name: string; type: string; identityAlways: boolean };
export type Table = { name: string; columns: Column[] };

/** Double-quoted, so any table or column name is taken as it is. */
export const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** The desk's tables (schema public) with the columns that hold data: generated ones are computed by the server. */
export async function readTables(query: Query): Promise<Table[]> {
  const rows = await query(`
    select c.relname as table, a.attname as column, format_type(a.atttypid, a.atttypmod) as type, a.attidentity = 'a' as identity_always
    from pg_class c
    join pg_namespace n on n.oid = c.relnamespace
    join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
    where n.nspname = 'public' and c.relkind = 'r' and a.attgenerated = ''
    order by c.relname, a.attnum`);
  const tables = new Map<string, Table>();
  for (const r of rows) {
    const name = String(r.table);
    if (!tables.has(name)) tables.set(name, { name, columns: [] });
    tables.get(name)!.columns.push({ name: String(r.column), type: String(r.type), identityAlways: r.identity_always === true });
  }
  return [...tables.values()];
}

export async function readForeignKeys(query: Query): Promise<ForeignKey[]> {
  const rows = await query(`
    select k.conname as name, c.relname as table, r.relname as references
    from pg_constraint k
    join pg_class c on c.oid = k.conrelid
    join pg_class r on r.oid = k.confrelid
    join pg_namespace n on n.oid = c.relnamespace
    where k.contype = 'f' and n.nspname = 'public'
    order by 2, 1`);
  return rows.map((r) => ({ name: String(r.name), table: String(r.table), references: String(r.references) }));
}

export type Sequence = { name: string; lastValue: string; isCalled: boolean };

/** Every sequence of the desk (serial and identity columns, ticket numbers) with where it stands. */
export async function readSequences(query: Query): Promise<Sequence[]> {
  const names = await query(`
    select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind = 'S' order by 1`);
  const sequences: Sequence[] = [];
  for (const { name } of names) {
    const [row] = await query(`select last_value::text as last_value, is_called from ${ident(String(name))}`);
    sequences.push({ name: String(name), lastValue: String(row.last_value), isCalled: row.is_called === true });
  }
  return sequences;
}

/** The columns whose values a sequence hands out: by their default (serial, nextval) or as identity. */
export async function sequenceColumns(query: Query, sequence: string): Promise<{ table: string; column: string }[]> {
  const rows = await query(
    `
    select c.relname as table, a.attname as column
    from pg_depend d
    join pg_attrdef ad on d.classid = 'pg_attrdef'::regclass and d.objid = ad.oid
    join pg_class c on c.oid = ad.adrelid
    join pg_attribute a on a.attrelid = ad.adrelid and a.attnum = ad.adnum
    where d.refclassid = 'pg_class'::regclass and d.refobjid = $1::regclass
    union
    select c.relname, a.attname
    from pg_depend d
    join pg_class c on c.oid = d.refobjid
    join pg_attribute a on a.attrelid = d.refobjid and a.attnum = d.refobjsubid
    where d.classid = 'pg_class'::regclass and d.objid = $1::regclass and d.deptype = 'i'`,
    [`public.${ident(sequence)}`],
  );
  return rows.map((r) => ({ table: String(r.table), column: String(r.column) }));
}

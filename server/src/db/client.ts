import { createHash } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import type { PgDatabase } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import * as schema from './schema.js';
import { lockKeys } from '../platform/locks.js';
import { ensureWritableFolder, lockDataFolder } from './data-folder.js';
import { ListenerConnection } from './listener-connection.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Db = PgDatabase<any, typeof schema>;
/** A transaction or the database itself: services accept either. */
export type DbOrTx = Parameters<Parameters<Db['transaction']>[0]>[0] | Db;

export type Listener = (payload: string) => void;

export interface Database {
  kind: 'pglite' | 'postgres';
  db: Db;
  /** The server's connection string; absent for the embedded database. */
  url?: string;
  /** Subscribes to a NOTIFY channel on this node; returns an unsubscribe function. */
  listen(channel: string, listener: Listener): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

/** The SQL migrations, applied in order on start (and by `npm run move-to-postgres` on its target). */
export const migrationsFolder = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

export type DatabaseOptions = { databaseUrl?: string; dataDir?: string; inMemory?: boolean; poolSize?: number };

export async function openDatabase(opts: DatabaseOptions): Promise<Database> {
  const database = opts.databaseUrl ? await openPostgres(opts.databaseUrl, opts.poolSize) : await openPglite(opts);
  return database;
}

export async function migrateDatabase(database: Database): Promise<void> {
  if (database.kind === 'pglite') {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    await migratePglite(database.db as any, { migrationsFolder });
  } else {
    // Several nodes may start at once: one migrates, the others wait. A session lock belongs to one
    // connection, so it is held on a client of its own rather than on whichever pooled one is free.
    const lock = new pg.Client({ connectionString: database.url });
    await lock.connect();
    try {
      await lock.query(`select pg_advisory_lock(${lockKeys.migrations})`);
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      await migratePg(database.db as any, { migrationsFolder });
    } finally {
      await lock.query(`select pg_advisory_unlock(${lockKeys.migrations})`).catch(() => undefined);
      await lock.end();
    }
  }
}

async function openPglite(opts: DatabaseOptions): Promise<Database> {
  let dataDir: string | undefined;
  let unlock = () => {};
  if (!opts.inMemory) {
    const folder = path.resolve(opts.dataDir ?? './data');
    dataDir = path.join(folder, 'pglite');
    ensureWritableFolder(dataDir);
    unlock = lockDataFolder(folder, path.join(folder, 'pglite.lock'));
  }
  let client: PGlite;
  try {
    client = await PGlite.create(dataDir ? { dataDir } : {});
  } catch (err) {
    unlock();
    throw err;
  }
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  return {
    kind: 'pglite',
    db,
    async listen(channel, listener) {
      const unsubscribe = await client.listen(channel, listener);
      return async () => unsubscribe();
    },
    async close() {
      await client.close();
      unlock();
    },
  };
}

type QueryConfig = { text?: unknown; name?: string; values?: unknown[] };
const statementNames = new Map<string, string>();

/** A short, stable name for a statement's text, so every connection prepares it under the same name. */
function statementName(text: string): string {
  let name = statementNames.get(text);
  if (!name) {
    name = `s${createHash('sha1').update(text).digest('base64url').slice(0, 20)}`;
    // Bounded: statement texts come from the code's query shapes, but keep a stray flood out.
    if (statementNames.size > 5000) statementNames.clear();
    statementNames.set(text, name);
  }
  return name;
}

/**
 * Prepares each parameterised statement once per connection and reuses it by name: the server
 * parses and plans it once instead of on every request, and the text is not sent again.
 */
class PreparingClient extends pg.Client {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override query(config: any, values?: any, callback?: any): any {
    const c = config as QueryConfig | string;
    const params = Array.isArray(values) ? values : typeof c === 'object' ? c.values : undefined;
    // A full-text search's best plan depends on its words: it is planned afresh each time, unprepared.
    if (typeof c === 'object' && c && typeof c.text === 'string' && !c.name && params?.length && !(config instanceof pg.Query) && !c.text.includes(' @@ ')) {
      config = { ...c, name: statementName(c.text) };
    }
    return super.query(config, values, callback);
  }
}

async function openPostgres(url: string, poolSize = 10): Promise<Database> {
  // The pool sits on one connection for migration locks, so keep at least two.
  const pool = new pg.Pool({ connectionString: url, max: Math.max(2, poolSize), Client: PreparingClient });
  pool.on('error', () => {
    /* an idle client dropped; the pool replaces it */
  });
  const db = drizzlePg(pool, { schema }) as unknown as Db;
  const listeners = new Map<string, Set<Listener>>();
  const listener = new ListenerConnection(url, listeners);
  // LISTEN and UNLISTEN go out in the order they were asked for, so a quick unsubscribe and
  // resubscribe cannot end unlistened. One that fails is mended by the reconnect, which listens anew.
  let turn: Promise<unknown> = Promise.resolve();
  const inTurn = (fn: () => Promise<unknown> | undefined) => (turn = turn.then(fn).catch(() => undefined));

  return {
    kind: 'postgres',
    db,
    url,
    async listen(channel, onNotice) {
      if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`bad channel name ${channel}`);
      let set = listeners.get(channel);
      if (!set) {
        set = new Set();
        listeners.set(channel, set);
        await inTurn(() => listener.client?.query(`LISTEN "${channel}"`));
      }
      set.add(onNotice);
      try {
        await listener.connected();
      } catch (err) {
        set.delete(onNotice);
        throw err;
      }
      const own = set;
      return async () => {
        // The last listener gone: stop the server from sending this channel's notices here at all.
        if (!own.delete(onNotice) || own.size || listeners.get(channel) !== own) return;
        listeners.delete(channel);
        await inTurn(() => listener.client?.query(`UNLISTEN "${channel}"`));
      };
    },
    async close() {
      await listener.close();
      await pool.end();
    },
  };
}

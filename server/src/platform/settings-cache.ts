import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { Database, Db, DbOrTx } from '../db/client.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A write to settings the cache below keeps: a successful answer first tells every node to forget them. */
    changesSettings?: boolean;
  }
}

export const SETTINGS_CHANNEL = 'frontline_settings';

/** How long a snapshot may be used without a change notice: the backstop for edits made outside the API. */
const MAX_AGE_MS = 60_000;

type Entry = { value: unknown; loadedAt: number };

/**
 * Settings read on every ticket change (calendars, SLA policies, team tiers, assignment rules) kept
 * in memory, so a ticket write does not read them again each time. A settings write calls
 * `changed()`: this node forgets at once, every other node when the NOTIFY arrives after the commit.
 */
export class SettingsCache {
  private entries = new Map<string, Entry>();
  private generation = 0;
  private unlisten: (() => Promise<void>) | undefined;

  constructor(private database: Pick<Database, 'listen'>) {}

  async start() {
    this.unlisten = await this.database.listen(SETTINGS_CHANNEL, () => this.forget());
  }

  async stop() {
    await this.unlisten?.();
  }

  /**
   * The cached value of `name`, loaded through the caller's transaction when missing or stale (the
   * embedded database has one connection: a read outside the open transaction would wait on it).
   * A load in flight is not shared: a caller in another transaction must not wait on it, for the
   * same reason. A load that a change overtook is used by its caller but not kept.
   */
  async get<T>(name: string, db: DbOrTx, load: (db: DbOrTx) => Promise<T>): Promise<T> {
    const entry = this.entries.get(name);
    if (entry && Date.now() - entry.loadedAt < MAX_AGE_MS) return entry.value as T;
    const generation = this.generation;
    const loadedAt = Date.now();
    const value = await load(db);
    if (generation === this.generation) this.entries.set(name, { value, loadedAt });
    return value;
  }

  /** Drops every cached value on this node. */
  forget() {
    this.generation++;
    this.entries.clear();
  }

  /** After a settings write: forget here, and tell the other nodes (delivered when `db`'s transaction commits). */
  async changed(db: DbOrTx) {
    this.forget();
    await db.execute(sql`select pg_notify(${SETTINGS_CHANNEL}, '')`);
  }
}

/** Routes marked `changesSettings` make every node forget the cached settings before they answer. */
export function registerSettingsChangeHook(app: FastifyInstance, cache: SettingsCache, db: Db) {
  app.addHook('onSend', async (req, reply) => {
    if (req.routeOptions.config?.changesSettings && reply.statusCode < 400) await cache.changed(db);
  });
}

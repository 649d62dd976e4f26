import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config.js';
import type { Database, Db } from '../db/client.js';
import type { Clock } from './clock.js';
import type { SettingsCache } from './settings-cache.js';
import type { Storage } from './storage.js';

/** What every service needs, built once per process and handed down. */
export type AppContext = {
  config: Config;
  database: Database;
  db: Db;
  clock: Clock;
  storage: Storage;
  /** Settings read on every ticket change, kept per node (see settings-cache.ts). */
  settings: SettingsCache;
  log: FastifyBaseLogger;
};

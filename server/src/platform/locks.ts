import { sql } from 'drizzle-orm';

/**
 * Every PostgreSQL advisory lock the app takes, in one place: two uses sharing a key would wait on
 * each other for nothing (the demo loader once shared inbound mail's).
 */
export const lockKeys = {
  migrations: 7_240_001,
  inboundTurn: 7_240_002,
  demo: 7_240_003,
  dispatch: 7_240_004,
  /** With the address's hash as the second key: sign-in attempts on one address take turns. */
  login: 7_240_005,
  /** Changes that could leave the desk without an active admin take turns. */
  admins: 7_240_006,
} as const;

/** Held until the caller's transaction ends. */
export const transactionLock = (key: keyof typeof lockKeys) => sql`select pg_advisory_xact_lock(${sql.raw(String(lockKeys[key]))})`;

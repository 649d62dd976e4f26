import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { loadConfig } from '../server/src/config.js';
import { openDatabase } from '../server/src/db/client.js';
import { hashPassword } from '../server/src/platform/auth/secrets.js';
import { createServer, type Server } from '../server/src/server.js';
import { users } from '../server/src/modules/users/users.table.js';

export type DbKind = 'pglite' | 'postgres';

/** The driver under Drizzle (pg.Pool or PGlite): both answer query(text, params). */
export type RawClient = { query(text: string, params?: unknown[]): Promise<{ rows: any[] }> };

export type BenchDesk = {
  kind: DbKind;
  label: string;
  server: Server;
  raw: RawClient;
  /** `Authorization: Bearer <personal API token>` of an admin. */
  adminHeaders: Record<string, string>;
  adminId: string;
  /** Signs a staff account in through the API and returns its Bearer headers. */
  bearerFor(userId: string): Promise<Record<string, string>>;
  close(): Promise<void>;
};

type PostgresHandle = { url: string; stop(): void };

const PASSWORD = 'bench password 1234';

/**
 * A real app on a fresh database: PGlite in a temp folder, or a PostgreSQL server started here.
 * PostgreSQL runs with its default durability (fsync and synchronous commit on) unless BENCH_PG_FAST=1.
 */
export async function openDesk(kind: DbKind): Promise<BenchDesk> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'frontline-bench-'));
  let pgServer: PostgresHandle | undefined;
  let databaseUrl: string | undefined;
  const durable = process.env.BENCH_PG_FAST !== '1';
  if (kind === 'postgres') {
    // A plain .mjs helper shared with the test runner; imported by a computed name so TypeScript leaves it untyped.
    const helper = (await import('../scripts/postgres.mjs' as string)) as { startPostgres(o: { durable: boolean }): Promise<PostgresHandle> };
    pgServer = await helper.startPostgres({ durable });
    const admin = new pg.Client({ connectionString: pgServer.url });
    await admin.connect();
    await admin.query('create database frontline_bench');
    await admin.end();
    const url = new URL(pgServer.url);
    url.pathname = '/frontline_bench';
    databaseUrl = url.toString();
  }
  const config = loadConfig({
    FRONTLINE_DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    FRONTLINE_JOBS: 'off',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
  } as NodeJS.ProcessEnv);
  const database = await openDatabase({ databaseUrl, dataDir });
  const server = await createServer(config, { database, logger: false, startJobs: false });
  const raw = (server.ctx.db as unknown as { $client: RawClient }).$client;
  const passwordHash = await hashPassword(PASSWORD);

  async function bearerFor(userId: string) {
    const [{ email }] = (await raw.query('update users set password_hash = $2 where id = $1 returning email', [userId, passwordHash])).rows;
    const login = await server.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password: PASSWORD } });
    if (login.statusCode !== 200) throw new Error(`login failed: ${login.body}`);
    const session = { authorization: `Bearer ${login.json().token}` };
    // Integrations call the API with a personal API token, so that is what the benchmark sends.
    const created = await server.app.inject({ method: 'POST', url: '/api/v1/auth/tokens', headers: session, payload: { name: 'bench' } });
    if (created.statusCode !== 201) throw new Error(`token failed: ${created.body}`);
    return { authorization: `Bearer ${created.json().token}` };
  }

  const [admin] = await server.ctx.db
    .insert(users)
    .values({ email: 'bench-admin@desk.test', name: 'Bench Admin', role: 'admin', passwordHash })
    .returning({ id: users.id });
  const pgVersion = (await raw.query('show server_version')).rows[0].server_version as string;
  const settings = kind === 'postgres' ? (durable ? 'default durability: fsync on, synchronous_commit on' : 'fsync off, synchronous_commit off') : 'in-process, temp data dir';
  return {
    kind,
    label: `${kind === 'pglite' ? 'PGlite' : 'PostgreSQL'} ${pgVersion.split(' ')[0]} (${settings})`,
    server,
    raw,
    adminId: admin.id,
    adminHeaders: await bearerFor(admin.id),
    bearerFor,
    async close() {
      await server.close();
      pgServer?.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

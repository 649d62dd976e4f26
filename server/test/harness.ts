import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { loadConfig, type Config } from '../src/config.js';
import { openDatabase } from '../src/db/client.js';
import { hashPassword } from '../src/platform/auth/secrets.js';
import type { Clock } from '../src/platform/clock.js';
import { createServer, type Server } from '../src/server.js';
import type { JobHandlers } from '../src/platform/jobs/runner.js';
import { users } from '../src/modules/users/users.table.js';
import { teamMembers, teams } from '../src/modules/teams/teams.table.js';

export const dbKind = process.env.FRONTLINE_TEST_DB === 'postgres' ? 'postgres' : 'pglite';

/** A fresh, empty database per call: PGlite in memory, or a new database on the harness's server. */
export async function freshDatabaseUrl(): Promise<string | undefined> {
  if (dbKind !== 'postgres') return undefined;
  const base = process.env.FRONTLINE_TEST_DATABASE_URL;
  if (!base) throw new Error('FRONTLINE_TEST_DATABASE_URL is not set; run the suite with `npm test`');
  const name = `t_${crypto.randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

export function testConfig(overrides: Record<string, string> = {}, databaseUrl?: string): Config {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'frontline-test-'));
  return loadConfig({
    FRONTLINE_DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    FRONTLINE_JOBS: 'off',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    ...overrides,
  } as NodeJS.ProcessEnv);
}

export type TestDesk = Server & {
  /** Signs in as a new account with the given role and returns a Bearer header. */
  as(role: Role, opts?: { teamIds?: string[]; tier?: 1 | 2 }): Promise<Account>;
  team(name: string, tier?: 1 | 2): Promise<string>;
  request<T = any>(account: Account | null, method: string, url: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: T; headers: Record<string, unknown> }>;
  databaseUrl?: string;
  /** Answers that did not match their route's documentation (each also became a 500). */
  answerFaults: string[];
};
type Role = 'admin' | 'manager' | 'supervisor' | 'dispatcher' | 'analyst' | 'agent';
export type Account = { id: string; email: string; password: string; token: string; role: string; headers: Record<string, string> };

const PASSWORD = 'correct horse battery';
let passwordHash: string | undefined;

export async function startDesk(opts: { clock?: Clock; env?: Record<string, string>; extraJobs?: JobHandlers; databaseUrl?: string } = {}): Promise<TestDesk> {
  const databaseUrl = opts.databaseUrl ?? (await freshDatabaseUrl());
  const config = testConfig(opts.env, databaseUrl);
  const database = await openDatabase({ databaseUrl, dataDir: config.dataDir, inMemory: !databaseUrl, poolSize: 4 });
  const answerFaults: string[] = [];
  const server = await createServer(config, { database, clock: opts.clock, logger: false, extraJobs: opts.extraJobs, startJobs: false, answerFaults });
  passwordHash ??= await hashPassword(PASSWORD);
  let n = 0;

  async function login(email: string, password: string) {
    const res = await server.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });
    if (res.statusCode !== 200) throw new Error(`login failed: ${res.body}`);
    return res.json().token as string;
  }

  const desk: TestDesk = {
    ...server,
    databaseUrl,
    answerFaults,
    async close() {
      try {
        await server.close();
      } finally {
        fs.rmSync(config.dataDir, { recursive: true, force: true });
      }
      // Every suite's answers are held to the API document; a drift fails the suite that saw it.
      if (answerFaults.length) throw new Error(`answers unlike the API document:\n${[...new Set(answerFaults)].join('\n')}`);
    },
    async as(role, o = {}) {
      const email = `${role}${++n}-${crypto.randomBytes(3).toString('hex')}@desk.test`;
      const [row] = await server.ctx.db
        .insert(users)
        .values({ email, name: `${role} ${n}`, role, passwordHash, tier: o.tier ?? (role === 'agent' ? 1 : null), availability: 'online' })
        .returning();
      if (o.teamIds?.length) await server.ctx.db.insert(teamMembers).values(o.teamIds.map((teamId) => ({ teamId, userId: row.id })));
      const token = await login(email, PASSWORD);
      return { id: row.id, email, password: PASSWORD, token, role, headers: { authorization: `Bearer ${token}` } };
    },
    async team(name, tier) {
      const [row] = await server.ctx.db.insert(teams).values({ name, tier }).returning();
      return row.id;
    },
    async request(account, method, url, body, headers = {}) {
      const res = await server.app.inject({
        method: method as 'GET',
        url,
        payload: body as object | undefined,
        headers: { ...(account?.headers ?? {}), ...headers },
      });
      let parsed: unknown = res.body;
      try {
        parsed = res.body ? JSON.parse(res.body) : undefined;
      } catch {
        /* not JSON */
      }
      return { status: res.statusCode, body: parsed as any, headers: res.headers };
    },
  };
  return desk;
}

export const seedsDir = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../../shared/seeds');
export function seedText(prefix: string): string {
  const file = fs.readdirSync(seedsDir).find((f) => f.startsWith(prefix));
  if (!file) throw new Error(`no seed ${prefix} in ${seedsDir}`);
  return fs.readFileSync(path.join(seedsDir, file), 'utf8');
}

/** How many files the desk keeps in its attachments folder (attachments and raw mail alike). */
export function storedFileCount(desk: TestDesk): number {
  const folder = path.join(desk.ctx.config.dataDir, 'attachments');
  return fs.existsSync(folder) ? fs.readdirSync(folder, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).length : 0;
}

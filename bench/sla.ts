// `npm run bench:sla`: work done per ticket event and per idle minute by SLA timers, dispatch
// triggers and the job queue, with 10 k and 100 k open tickets (each holding live SLA timers).
// Work is counted, not timed: SQL statements sent and table rows read or written
// (pg_stat_user_tables), so the ratio between sizes shows growth whatever the machine's speed.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import pg from 'pg';
import { loadConfig } from '../server/src/config.js';
import { openDatabase, type Database, type Db } from '../server/src/db/client.js';
import * as schema from '../server/src/db/schema.js';
import { ManualClock } from '../server/src/platform/clock.js';
import { createServer, type Server } from '../server/src/server.js';
import { users } from '../server/src/modules/users/users.table.js';
import { hashPassword } from '../server/src/platform/auth/secrets.js';

const sizes = (process.env.BENCH_SLA_SIZES ?? '10000,100000').split(',').map(Number);
const reps = Number(process.env.BENCH_SLA_REPS ?? 20);
const engine = process.env.BENCH_SLA_DB === 'postgres' ? 'postgres' : 'pglite';
const log = (line: string) => console.log(`[bench:sla] ${line}`);

type Work = { statements: number; rowsRead: number; rowsWritten: number; seqScansOfBigTables: number };

/** Seeding and statistics go through this, outside the app's count. */
type Raw = { query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<{ rows: T[] }> };
type Counted = { database: Database; raw: Raw; settle(): Promise<void>; close(): Promise<void> };

/** An embedded database whose Drizzle logger counts every statement the app sends. */
async function countingPglite(counter: { n: number }): Promise<Counted> {
  const client = await PGlite.create();
  const db = drizzle(client, { schema, logger: { logQuery: () => void counter.n++ } }) as unknown as Db;
  const database: Database = {
    kind: 'pglite',
    db,
    async listen(channel, listener) {
      const off = await client.listen(channel, listener);
      return async () => off();
    },
    async close() {
      await client.close();
    },
  };
  return { database, raw: client as unknown as Raw, settle: async () => {}, close: async () => {} };
}

/**
 * A PostgreSQL server started here (Debian's, as the tests use): every query the app's pool sends is
 * counted at the driver, BEGIN and COMMIT included. Each pooled backend publishes its table counters
 * when idle, within PostgreSQL's 10 s stats interval, so readings wait that long.
 */
async function countingPostgres(counter: { n: number }): Promise<Counted> {
  const helper = (await import('../scripts/postgres.mjs' as string)) as { startPostgres(o: { durable: boolean }): Promise<{ url: string; stop(): void }> };
  const server = await helper.startPostgres({ durable: false });
  const raw = new pg.Client({ connectionString: server.url });
  await raw.connect();
  const original = pg.Client.prototype.query;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  (pg.Client.prototype as any).query = function (this: pg.Client, ...args: any[]) {
    if (this !== raw) counter.n++;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    return (original as any).apply(this, args);
  };
  const database = await openDatabase({ databaseUrl: server.url, poolSize: 4 });
  return {
    database,
    raw: raw as unknown as Raw,
    settle: () => new Promise((r) => setTimeout(r, 11_000)),
    async close() {
      await raw.end();
      pg.Client.prototype.query = original;
      server.stop();
    },
  };
}

async function tableStats(client: Raw) {
  await client.query('select pg_stat_force_next_flush()');
  await client.query('select pg_stat_clear_snapshot()');
  const r = await client.query<{ relname: string; seq_scan: string; seq_tup_read: string; idx_tup_fetch: string; ins: string; upd: string; del: string }>(
    `select relname, seq_scan, seq_tup_read, coalesce(idx_tup_fetch, 0) as idx_tup_fetch, n_tup_ins as ins, n_tup_upd as upd, n_tup_del as del from pg_stat_user_tables`,
  );
  return r.rows;
}

const big = new Set(['tickets', 'ticket_sla_targets', 'jobs', 'ticket_events', 'messages']);

async function measure(db: Counted, counter: { n: number }, work: () => Promise<void>): Promise<Work> {
  await db.settle();
  const before = await tableStats(db.raw);
  const startStatements = counter.n;
  await work();
  const statements = counter.n - startStatements;
  await db.settle();
  const after = await tableStats(db.raw);
  const total: Work = { statements, rowsRead: 0, rowsWritten: 0, seqScansOfBigTables: 0 };
  for (const a of after) {
    const b = before.find((x) => x.relname === a.relname);
    const d = (k: keyof typeof a) => Number(a[k]) - Number(b?.[k] ?? 0);
    total.rowsRead += d('seq_tup_read') + d('idx_tup_fetch');
    total.rowsWritten += d('ins') + d('upd') + d('del');
    if (big.has(a.relname)) total.seqScansOfBigTables += d('seq_scan');
  }
  return total;
}

const per = (w: Work, n: number): Work => ({
  statements: w.statements / n,
  rowsRead: w.rowsRead / n,
  rowsWritten: w.rowsWritten / n,
  seqScansOfBigTables: w.seqScansOfBigTables / n,
});

/** Open tickets with first-response and next-response targets running and their timers queued. */
async function seed(client: Raw, count: number, now: Date) {
  const [{ id: customerId }] = (await client.query<{ id: string }>(`insert into customers (name) values ('Bench customer') returning id`)).rows;
  const [{ id: teamId }] = (await client.query<{ id: string }>(`insert into teams (name, tier) values ('Support', 1) returning id`)).rows;
  const batch = 20_000;
  for (let done = 0; done < count; done += batch) {
    const n = Math.min(batch, count - done);
    await client.query(
      `with t as (
         insert into tickets (subject, channel, status, priority, team_id, requester_id, created_at, updated_at)
         select 'Open ticket ' || g, 'email', 'open', 'normal', $1, $2, $3::timestamptz - make_interval(mins => g % 600), $3::timestamptz
         from generate_series(1, ${n}) g returning id, created_at
       ), s as (
         insert into ticket_sla_targets (ticket_id, metric, state, target_seconds, business_hours, running_since, started_at, due_at, warn_at)
         select id, m, 'active', 14400, true, created_at, created_at,
                $3::timestamptz + make_interval(days => 2 + (abs(hashtext(id::text)) % 5)), $3::timestamptz + make_interval(days => 1 + (abs(hashtext(id::text)) % 5))
         from t, unnest(array['first_response', 'next_response']) m returning id, due_at, warn_at
       )
       insert into jobs (name, payload, run_at, dedupe_key)
       select 'sla.' || k, json_build_object('targetId', s.id, 'generation', 0)::jsonb, case when k = 'warn' then s.warn_at else s.due_at end, 'sla:' || s.id || ':0:' || k
       from s, unnest(array['warn', 'breach']) k`,
      [teamId, customerId, now.toISOString()],
    );
  }
  await client.query('analyze');
}

async function run(size: number) {
  const counter = { n: 0 };
  const counted = engine === 'postgres' ? await countingPostgres(counter) : await countingPglite(counter);
  const { database, raw: client } = counted;
  const clock = new ManualClock(new Date('2026-11-24T10:00:00Z'));
  const config = loadConfig({ FRONTLINE_DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'frontline-bench-sla-')), LOG_LEVEL: 'silent', FRONTLINE_JOBS: 'off' } as NodeJS.ProcessEnv);
  const server: Server = await createServer(config, { database, clock, logger: false, startJobs: false });
  // The app's own hourly sweep is not ticket work: keep it out of the counts.
  await client.query(`delete from jobs where name = 'housekeeping'`);
  try {
    const started = Date.now();
    await seed(client, size, clock.now());
    log(`${size} open tickets with ${size * 2} running targets and ${size * 4} queued timers loaded in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    const password = 'bench password 1234';
    await server.ctx.db.insert(users).values({ email: 'bench@desk.test', name: 'Bench', role: 'admin', passwordHash: await hashPassword(password), availability: 'online' });
    const login = await server.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'bench@desk.test', password } });
    const headers = { authorization: `Bearer ${login.json().token}` };
    const call = async (method: 'POST' | 'PATCH', url: string, payload: object) => {
      const res = await server.app.inject({ method, url, headers, payload });
      if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
      return res.json();
    };
    // Portal tickets: the same SLA work as email (business-hours targets) without the email
    // outbox, whose send retries would otherwise show up in the idle minutes.
    const warm = await call('POST', '/api/v1/tickets', { subject: 'warm', channel: 'portal', requester: { email: 'warm@example.com' }, body: 'x' });
    await call('POST', `/api/v1/tickets/${warm.id}/messages`, { body: 'hello' });

    const ids: string[] = [];
    const create = await measure(counted, counter, async () => {
      for (let i = 0; i < reps; i++) ids.push((await call('POST', '/api/v1/tickets', { subject: `New ${i}`, channel: 'portal', requester: { email: `b${i}@example.com` }, body: 'Help' })).id);
    });
    const reply = await measure(counted, counter, async () => {
      for (const id of ids) await call('POST', `/api/v1/tickets/${id}/messages`, { body: 'We are on it', status: 'pending' });
    });
    const resume = await measure(counted, counter, async () => {
      for (const id of ids) await call('PATCH', `/api/v1/tickets/${id}`, { status: 'open' });
    });
    // Let the events' own follow-up work (e.g. outgoing email) run first, outside the idle count.
    while ((await server.runner.runDue()) > 0);
    // Idle minutes: nothing is due, the queue is only asked.
    const idle = await measure(counted, counter, async () => {
      for (let i = 0; i < reps; i++) {
        clock.advance(60_000);
        while ((await server.runner.runDue()) > 0);
      }
    });
    return {
      size,
      'create (ticket.created)': per(create, reps),
      'agent reply + pending (message.added)': per(reply, reps),
      'resume (ticket.status_changed)': per(resume, reps),
      'idle minute (job poll)': per(idle, reps),
    };
  } finally {
    await server.close();
    await counted.close();
  }
}

const results: Awaited<ReturnType<typeof run>>[] = [];
for (const size of sizes) {
  log(`${size} open tickets: loading`);
  results.push(await run(size));
}

const base = results[0];
const lines: string[] = [];
const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1));
lines.push(`| work per unit | metric | ${results.map((r) => `${r.size.toLocaleString('en')} open`).join(' | ')} | ratio ${results.at(-1)!.size / base.size}× tickets |`);
lines.push(`| --- | --- | ${results.map(() => '---:').join(' | ')} | ---: |`);
for (const key of Object.keys(base).filter((k) => k !== 'size') as Exclude<keyof typeof base, 'size'>[]) {
  for (const m of ['statements', 'rowsRead', 'rowsWritten', 'seqScansOfBigTables'] as const) {
    const vals = results.map((r) => r[key][m]);
    const ratio = vals[0] === 0 ? (vals.at(-1) === 0 ? '1.00' : '∞') : (vals.at(-1)! / vals[0]).toFixed(2);
    lines.push(`| ${key} | ${m} | ${vals.map(fmt).join(' | ')} | ${ratio} |`);
  }
}
const table = lines.join('\n');
console.log(`\n${table}\n`);
if (process.env.BENCH_DOC !== '0') {
  // Each database has its own section between markers; a run replaces only its own.
  const doc = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../docs/performance-sla.md');
  const [open, close] = [`<!-- bench:sla ${engine} -->`, `<!-- /bench:sla ${engine} -->`];
  const text = fs.readFileSync(doc, 'utf8');
  const from = text.indexOf(open);
  const to = text.indexOf(close);
  if (from < 0 || to < from) throw new Error(`${doc}: no ${open} … ${close} section to write into`);
  const how = engine === 'postgres' ? 'Statements are counted at the driver, so BEGIN and COMMIT are included.' : "Statements are counted by Drizzle's logger (without BEGIN and COMMIT).";
  const section = `${open}\nRun of ${new Date().toISOString().slice(0, 10)}: ${sizes.map((n) => n.toLocaleString('en')).join(' and ')} open tickets, ${reps} repetitions. ${how}\n\n${table}\n`;
  fs.writeFileSync(doc, text.slice(0, from) + section + text.slice(to));
  log(`wrote the ${engine} section of ${path.relative(process.cwd(), doc)}`);
}

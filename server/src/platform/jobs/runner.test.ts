import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbKind, startDesk, type Account, type TestDesk } from '../../../test/harness.js';
import { openDatabase, type Database } from '../../db/client.js';
import { ManualClock } from '../clock.js';
import type { AppContext } from '../context.js';
import { enqueue } from './jobs.js';
import { JobRunner, type Job } from './runner.js';

// A fixed instant in the past: jobs are due by the app's clock, never by the database's now().
const clock = new ManualClock(new Date('2026-01-05T09:00:00Z'));
let desk: TestDesk;
let admin: Account;

/** What the test handlers did, per job name: payloads seen and how to answer. */
const calls = new Map<string, unknown[]>();
const failing = new Set<string>();
const record = (name: string) => async (payload: unknown, job: Job) => {
  calls.set(name, [...(calls.get(name) ?? []), payload]);
  if (failing.has(name)) throw new Error(`${name} refused attempt ${job.attempts}`);
};
const executions = new Map<number, number>();
const batches: { n: number; bad?: boolean }[][] = [];

beforeAll(async () => {
  desk = await startDesk({
    clock,
    extraJobs: {
      'test.once': record('test.once'),
      'test.flaky': record('test.flaky'),
      'test.dedupe': record('test.dedupe'),
      'test.count': async ({ n }: { n: number }) => {
        executions.set(n, (executions.get(n) ?? 0) + 1);
        // Yield so the two runners interleave their claims.
        await new Promise((r) => setImmediate(r));
      },
      'test.hang': record('test.hang'),
      // Refuses payloads marked bad; every call's payloads are kept, to see what came together.
      'test.batch': {
        batch: async (jobs: Job[]) => {
          batches.push(jobs.map((j) => j.payload as { n: number; bad?: boolean }));
          return jobs.map((j) => ((j.payload as { bad?: boolean }).bad ? new Error(`batch refused attempt ${j.attempts}`) : null));
        },
      },
    },
  });
  admin = await desk.as('admin');
  // These tests count every job a runner takes: the desk's own hourly sweep would be one more.
  await desk.ctx.db.execute(sql`delete from jobs where name = 'housekeeping'`);
});
afterAll(async () => {
  await desk?.close();
});

async function job(id: number) {
  const res = await desk.request(admin, 'GET', `/api/v1/jobs?limit=200`);
  expect(res.status).toBe(200);
  return res.body.data.find((j: { id: number }) => j.id === id);
}

describe('job runner', () => {
  it('runs a due job once and marks it done', async () => {
    const id = await enqueue(desk.ctx.db, 'test.once', { hello: 'مرحبا' }, { runAt: clock.now() });
    expect(id).toEqual(expect.any(Number));
    expect(await desk.runner.runDue()).toBe(1);
    expect(await desk.runner.runDue()).toBe(0);
    expect(calls.get('test.once')).toEqual([{ hello: 'مرحبا' }]);
    expect(await job(id!)).toMatchObject({ status: 'done', attempts: 1, lastError: null });
  });

  it('does not run a job before its run_at, and runs it once the clock reaches it', async () => {
    const runAt = new Date(clock.now().getTime() + 60_000);
    const id = await enqueue(desk.ctx.db, 'test.once', { later: true }, { runAt });
    expect(await desk.runner.runDue()).toBe(0);
    clock.advance(59_999);
    expect(await desk.runner.runDue()).toBe(0);
    clock.advance(1);
    expect(await desk.runner.runDue()).toBe(1);
    expect(await job(id!)).toMatchObject({ status: 'done' });
  });

  it('retries a failing job with growing backoff, then leaves it failed and visible; retry runs it again', async () => {
    failing.add('test.flaky');
    const id = (await enqueue(desk.ctx.db, 'test.flaky', { n: 1 }, { maxAttempts: 3, runAt: clock.now() }))!;
    const gaps: number[] = [];
    for (let attempt = 1; attempt <= 3; attempt++) {
      expect(await desk.runner.runDue()).toBe(1);
      const row = await job(id);
      expect(row.attempts).toBe(attempt);
      expect(row.lastError).toBe(`test.flaky refused attempt ${attempt}`);
      if (attempt === 3) break;
      expect(row.status).toBe('pending');
      const wait = new Date(row.runAt).getTime() - clock.now().getTime();
      gaps.push(wait);
      // Not before the backoff has passed…
      clock.advance(wait - 1);
      expect(await desk.runner.runDue()).toBe(0);
      // …and right when it has.
      clock.advance(1);
    }
    // 2^attempts seconds with ±25% jitter.
    expect(gaps[0]).toBeGreaterThanOrEqual(1_000);
    expect(gaps[0]).toBeLessThanOrEqual(3_000);
    expect(gaps[1]).toBeGreaterThanOrEqual(3_000);
    expect(gaps[1]).toBeLessThanOrEqual(5_000);
    expect(calls.get('test.flaky')).toHaveLength(3);

    clock.advance(24 * 3600_000);
    expect(await desk.runner.runDue()).toBe(0);

    const failed = await desk.request(admin, 'GET', '/api/v1/jobs?status=failed');
    expect(failed.status).toBe(200);
    const listed = failed.body.data.find((j: { id: number }) => j.id === id);
    expect(listed).toMatchObject({ name: 'test.flaky', status: 'failed', attempts: 3, maxAttempts: 3, lastError: 'test.flaky refused attempt 3' });
    expect(listed.finishedAt).not.toBeNull();
    expect(failed.body.data.every((j: { status: string }) => j.status === 'failed')).toBe(true);

    // Only managers see or retry jobs.
    const agent = await desk.as('agent');
    expect((await desk.request(agent, 'GET', '/api/v1/jobs?status=failed')).status).toBe(403);
    expect((await desk.request(agent, 'POST', `/api/v1/jobs/${id}/retry`)).status).toBe(403);

    failing.delete('test.flaky');
    const retried = await desk.request(admin, 'POST', `/api/v1/jobs/${id}/retry`);
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({ status: 'pending', attempts: 0, lastError: null });
    expect(await desk.runner.runDue()).toBe(1);
    expect(calls.get('test.flaky')).toHaveLength(4);
    expect(await job(id)).toMatchObject({ status: 'done', attempts: 1, lastError: null });

    const again = await desk.request(admin, 'POST', `/api/v1/jobs/${id}/retry`);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('job_not_failed');
    expect((await desk.request(admin, 'POST', '/api/v1/jobs/999999999/retry')).status).toBe(404);
    expect((await desk.request(admin, 'POST', '/api/v1/jobs/abc/retry')).status).toBe(400);
    expect((await desk.request(admin, 'GET', '/api/v1/jobs?status=exploded')).status).toBe(400);
  });

  it('a batch handler gets the claimed jobs of its name together, in order; one refused job is retried alone', async () => {
    const ids: number[] = [];
    for (const n of [1, 2, 3]) ids.push((await enqueue(desk.ctx.db, 'test.batch', { n, ...(n === 2 ? { bad: true } : {}) }, { runAt: clock.now(), maxAttempts: 2 }))!);
    const other = (await enqueue(desk.ctx.db, 'test.once', { between: true }, { runAt: clock.now() }))!;
    expect(await desk.runner.runDue()).toBe(4);
    expect(batches).toEqual([[{ n: 1 }, { n: 2, bad: true }, { n: 3 }]]);
    expect(await job(ids[0])).toMatchObject({ status: 'done', attempts: 1, lastError: null });
    expect(await job(ids[2])).toMatchObject({ status: 'done', attempts: 1, lastError: null });
    expect(await job(ids[1])).toMatchObject({ status: 'pending', attempts: 1, lastError: 'batch refused attempt 1' });
    expect(await job(other)).toMatchObject({ status: 'done' });

    clock.advance(10 * 60_000);
    expect(await desk.runner.runDue()).toBe(1);
    expect(batches[1]).toEqual([{ n: 2, bad: true }]);
    expect(await job(ids[1])).toMatchObject({ status: 'failed', attempts: 2, lastError: 'batch refused attempt 2' });
  });

  it('a staged handler prepares the next claim while one writes; writes run in claim order, a failed step is retried', async () => {
    // What happened, in order: "prepare 1,2,3", "write 1,2,3 start" …
    const log: string[] = [];
    let releaseFirstWrite!: () => void;
    const firstWriteHeld = new Promise<void>((r) => (releaseFirstWrite = r));
    const names = (jobs: Job[]) => jobs.map((j) => (j.payload as { n: number }).n).join(',');
    const staged = {
      staged: async (jobs: Job[]) => {
        log.push(`prepare ${names(jobs)}`);
        if (jobs.some((j) => (j.payload as { n: number }).n === 5) && jobs[0].attempts === 1) throw new Error('prepare refused');
        return async () => {
          log.push(`write ${names(jobs)} start`);
          // The first write waits until the second claim has been prepared: they overlap or the test hangs.
          if (names(jobs) === '1,2,3') await firstWriteHeld;
          log.push(`write ${names(jobs)} end`);
          return jobs.map(() => null);
        };
      },
    };
    const runner = new JobRunner({ ...desk.ctx, config: { ...desk.ctx.config, nodeId: 'staged' } }, { 'test.staged': staged }, { batch: 3 });
    const ids: number[] = [];
    for (const n of [1, 2, 3, 4, 5, 6, 7]) ids.push((await enqueue(desk.ctx.db, 'test.staged', { n }, { runAt: clock.now(), maxAttempts: 2 }))!);
    const running = runner.runDue();
    await expect.poll(() => log.includes('prepare 4,5,6'), { timeout: 10_000 }).toBe(true);
    releaseFirstWrite();
    // Claims of three: the second's prepare failed, so its jobs wait for a retry; the third ran.
    expect(await running).toBe(7);
    expect(log).toEqual(['prepare 1,2,3', 'write 1,2,3 start', 'prepare 4,5,6', 'write 1,2,3 end', 'prepare 7', 'write 7 start', 'write 7 end']);
    for (const i of [0, 1, 2, 6]) expect(await job(ids[i])).toMatchObject({ status: 'done', attempts: 1 });
    for (const i of [3, 4, 5]) expect(await job(ids[i])).toMatchObject({ status: 'pending', attempts: 1, lastError: 'prepare refused' });

    clock.advance(10 * 60_000);
    expect(await runner.runDue()).toBe(3);
    expect(log.slice(-3)).toEqual(['prepare 4,5,6', 'write 4,5,6 start', 'write 4,5,6 end']);
    for (const i of [3, 4, 5]) expect(await job(ids[i])).toMatchObject({ status: 'done', attempts: 2 });
  });

  it('a job whose handler is missing fails visibly rather than vanishing', async () => {
    const id = (await enqueue(desk.ctx.db, 'test.nobody-handles-this', {}, { runAt: clock.now(), maxAttempts: 1 }))!;
    expect(await desk.runner.runDue()).toBe(1);
    expect(await job(id)).toMatchObject({ status: 'failed', lastError: 'no handler for job test.nobody-handles-this' });
  });

  it('with a dedupe key, a second enqueue is a no-op', async () => {
    const first = await enqueue(desk.ctx.db, 'test.dedupe', { copy: 1 }, { runAt: clock.now(), dedupeKey: 'ticket:42:reminder' });
    const second = await enqueue(desk.ctx.db, 'test.dedupe', { copy: 2 }, { runAt: clock.now(), dedupeKey: 'ticket:42:reminder' });
    expect(first).toEqual(expect.any(Number));
    expect(second).toBeNull();
    expect(await desk.runner.runDue()).toBe(1);
    expect(await desk.runner.runDue()).toBe(0);
    expect(calls.get('test.dedupe')).toEqual([{ copy: 1 }]);
    const rows = await desk.ctx.db.execute(sql`select count(*)::int as n from jobs where dedupe_key = 'ticket:42:reminder'`);
    expect((rows.rows[0] as { n: number }).n).toBe(1);
  });

  it('reclaims a job left running by a dead node after the stale timeout', async () => {
    const deadCtx: AppContext = { ...desk.ctx, config: { ...desk.ctx.config, nodeId: 'node-that-dies' } };
    const dead = new JobRunner(deadCtx, { 'test.hang': async () => new Promise<void>(() => undefined) });
    const id = (await enqueue(desk.ctx.db, 'test.hang', {}, { runAt: clock.now() }))!;
    // The dead node claims it and never finishes: its runDue never settles.
    void dead.runDue();
    await expect.poll(async () => (await job(id)).status, { timeout: 10_000 }).toBe('running');
    const [claimed] = (await desk.ctx.db.execute(sql`select locked_by from jobs where id = ${id}`)).rows as { locked_by: string }[];
    expect(claimed.locked_by).toBe('node-that-dies');

    expect(await desk.runner.runDue()).toBe(0);
    clock.advance(299_000);
    expect(await desk.runner.runDue()).toBe(0);
    clock.advance(2_000);
    expect(await desk.runner.runDue()).toBe(1);
    expect(await job(id)).toMatchObject({ status: 'done', attempts: 2 });
    expect(calls.get('test.hang')).toHaveLength(1);
  });

  it('a job running longer than the stale timeout keeps its lock by heartbeat, so no other node runs it too', async () => {
    const busyCtx: AppContext = { ...desk.ctx, config: { ...desk.ctx.config, nodeId: 'node-busy' } };
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let started = false;
    const busy = new JobRunner(busyCtx, { 'test.long': async () => ((started = true), released) }, { heartbeatMs: 20 });
    const id = (await enqueue(desk.ctx.db, 'test.long', {}, { runAt: clock.now() }))!;
    const running = busy.runDue();
    await expect.poll(() => started, { timeout: 10_000 }).toBe(true);
    for (let i = 0; i < 3; i++) {
      clock.advance(200_000); // 600 s in all, twice the stale timeout
      await new Promise((r) => setTimeout(r, 100)); // heartbeats renew the lock at the new time
      expect(await desk.runner.runDue()).toBe(0);
    }
    release();
    expect(await running).toBe(1);
    expect(await job(id)).toMatchObject({ status: 'done', attempts: 1 });
  });

  it('a slow batch does not let another node run its waiting jobs a second time', async () => {
    // Node A claims three jobs; each takes 200 s. Node B looks in while A is on the second one.
    const runs: number[] = [];
    let b: JobRunner;
    const slow = async ({ n }: { n: number }) => {
      runs.push(n);
      clock.advance(200_000);
      if (n === 2 && runs.length === 2) await b.runDue();
    };
    const a = new JobRunner({ ...desk.ctx, config: { ...desk.ctx.config, nodeId: 'slow-a' } }, { 'test.slow': slow }, { batch: 3 });
    b = new JobRunner({ ...desk.ctx, config: { ...desk.ctx.config, nodeId: 'slow-b' } }, { 'test.slow': slow }, { batch: 3 });
    const ids: number[] = [];
    for (const n of [1, 2, 3]) ids.push((await enqueue(desk.ctx.db, 'test.slow', { n }, { runAt: clock.now() }))!);
    const ranOnA = await a.runDue();
    // B took over job 3, whose claim by A had gone stale while it waited; A then skipped it.
    expect(runs).toEqual([1, 2, 3]);
    expect(ranOnA).toBe(2);
    const rows = (await desk.ctx.db.execute(sql`select id, status, locked_by from jobs where name = 'test.slow' order by id`)).rows;
    expect(rows).toEqual([
      { id: expect.anything(), status: 'done', locked_by: 'slow-a' },
      { id: expect.anything(), status: 'done', locked_by: 'slow-a' },
      { id: expect.anything(), status: 'done', locked_by: 'slow-b' },
    ]);
  });

  it('two runners claiming at once never run the same job twice (200 jobs)', async () => {
    // On PostgreSQL the second runner has its own connection pool: real concurrent claims.
    let second: Database | undefined;
    if (dbKind === 'postgres') second = await openDatabase({ databaseUrl: desk.databaseUrl, poolSize: 4 });
    try {
      const handlers = { 'test.count': desk.runner['handlers']['test.count'] };
      const a = new JobRunner({ ...desk.ctx, config: { ...desk.ctx.config, nodeId: 'node-a' } }, handlers, { batch: 7 });
      const bCtx: AppContext = second
        ? { ...desk.ctx, database: second, db: second.db, config: { ...desk.ctx.config, nodeId: 'node-b' } }
        : { ...desk.ctx, config: { ...desk.ctx.config, nodeId: 'node-b' } };
      const b = new JobRunner(bCtx, handlers, { batch: 7 });

      await desk.ctx.db.transaction(async (tx) => {
        for (let n = 0; n < 200; n++) await enqueue(tx, 'test.count', { n }, { runAt: clock.now() });
      });
      const drain = async (r: JobRunner) => {
        let ran = 0;
        for (let got = await r.runDue(); got > 0; got = await r.runDue()) ran += got;
        return ran;
      };
      const [ranA, ranB] = await Promise.all([drain(a), drain(b)]);
      expect(ranA + ranB).toBe(200);
      expect(executions.size).toBe(200);
      expect([...executions.values()].every((v) => v === 1)).toBe(true);
      // Both took a share of the work.
      expect(ranA).toBeGreaterThan(0);
      expect(ranB).toBeGreaterThan(0);
      const byNode = await desk.ctx.db.execute(
        sql`select locked_by, count(*)::int as n from jobs where name = 'test.count' and status = 'done' group by locked_by order by locked_by`,
      );
      expect((byNode.rows as { n: number }[]).reduce((s, r) => s + r.n, 0)).toBe(200);
    } finally {
      await second?.close();
    }
  });
});

import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../platform/clock.js';
import { JobRunner } from '../../platform/jobs/runner.js';
import { jobHandlers } from '../../server.js';
import { dbKind, startDesk, type Account, type TestDesk } from '../../../test/harness.js';
import { newTicket } from '../../../test/promises.js';

/** Runs a node's due jobs until it finds none. */
async function drain(runner: JobRunner) {
  while ((await runner.runDue()) > 0);
}

async function countEvents(desk: TestDesk, type: string, ids: string[]) {
  const res = await desk.ctx.db.execute(
    sql`select ticket_id, count(*)::int as n from ticket_events where type = ${type} and ticket_id in (${sql.join(ids.map((id) => sql`${id}::uuid`), sql`, `)}) group by ticket_id`,
  );
  return res.rows as { ticket_id: string; n: number }[];
}

describe(`warnings and breaches fire once with two app nodes (${dbKind})`, () => {
  const clock = new ManualClock(new Date('2026-11-24T10:00:00Z'));
  let a: TestDesk;
  let b: TestDesk | undefined;
  let admin: Account;
  let supervisor: Account;
  let runnerA: JobRunner;
  let runnerB: JobRunner;

  beforeAll(async () => {
    a = await startDesk({ clock, env: { FRONTLINE_NODE_ID: 'node-a' } });
    admin = await a.as('admin');
    supervisor = await a.as('supervisor');
    runnerA = a.runner;
    if (dbKind === 'postgres') {
      // A second app process on the same database, with its own pool and runner.
      b = await startDesk({ clock, databaseUrl: a.databaseUrl, env: { FRONTLINE_NODE_ID: 'node-b' } });
      runnerB = b.runner;
    } else {
      // PGlite has one connection per process: two runners in it still race for the same rows.
      runnerB = new JobRunner(a.ctx, jobHandlers(a.ctx), { batch: 3 });
    }
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  it('each of 20 chat tickets gets one warning and one breach while both nodes run the queue', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) ids.push((await newTicket(a, admin, { channel: 'chat' })).id);
    clock.advance(50_000);
    await Promise.all([drain(runnerA), drain(runnerB), drain(runnerA)]);
    clock.advance(11_000);
    await Promise.all([drain(runnerB), drain(runnerA), drain(runnerB)]);
    const warnings = await countEvents(a, 'sla.warning', ids);
    const breaches = await countEvents(a, 'sla.breached', ids);
    expect(warnings).toHaveLength(20);
    expect(breaches).toHaveLength(20);
    expect(warnings.every((r) => Number(r.n) === 1) && breaches.every((r) => Number(r.n) === 1)).toBe(true);
    const ran = await a.ctx.db.execute(sql`select locked_by, count(*)::int as n from jobs where name in ('sla.warn', 'sla.breach') group by locked_by`);
    if (dbKind === 'postgres') expect((ran.rows as { locked_by: string }[]).map((r) => r.locked_by).sort()).toEqual(['node-a', 'node-b']);

    // A node that crashed after its work committed but before marking the job done: the job runs
    // again after a restart and finds nothing left to do.
    await a.ctx.db.execute(sql`update jobs set status = 'pending', run_at = ${clock.now().toISOString()}::timestamptz where name in ('sla.warn', 'sla.breach')`);
    const restarted = new JobRunner(a.ctx, jobHandlers(a.ctx));
    await Promise.all([drain(restarted), drain(runnerB)]);
    expect((await countEvents(a, 'sla.warning', ids)).every((r) => Number(r.n) === 1)).toBe(true);
    expect((await countEvents(a, 'sla.breached', ids)).every((r) => Number(r.n) === 1)).toBe(true);
    // The desk's supervisor heard of each exactly once (no team supervisor, no assignee).
    const heard = await a.request(supervisor, 'GET', '/api/v1/notifications?limit=200');
    const kinds = (heard.body.data as { kind: string; ticketId: string }[]).filter((n) => ids.includes(n.ticketId));
    expect(kinds.filter((n) => n.kind === 'sla.warning')).toHaveLength(20);
    expect(kinds.filter((n) => n.kind === 'sla.breached')).toHaveLength(20);
  });
});

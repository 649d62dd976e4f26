import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDesk, type TestDesk } from '../../test/harness.js';
import { drainJobs } from '../../test/promises.js';
import { ManualClock } from './clock.js';
import { enqueue } from './jobs/jobs.js';

const clock = new ManualClock(new Date('2026-01-05T09:00:00Z'));
let desk: TestDesk;

beforeAll(async () => {
  desk = await startDesk({ clock, extraJobs: { 'test.noop': async () => {} } });
});
afterAll(async () => desk?.close());

const count = async (query: ReturnType<typeof sql>) => Number(((await desk.ctx.db.execute(query)).rows[0] as { n: number }).n);

describe('housekeeping', () => {
  it('removes expired sessions, old sign-in failures and long-finished jobs every hour, and keeps the rest', async () => {
    const old = await desk.as('agent');
    await desk.request(null, 'POST', '/api/v1/auth/login', { email: old.email, password: 'wrong password' });
    await enqueue(desk.ctx.db, 'test.noop', {}, { runAt: clock.now() });
    await drainJobs(desk);
    expect(await count(sql`select count(*)::int as n from jobs where name = 'test.noop' and status = 'done'`)).toBe(1);

    clock.advance(15 * 86400_000); // past the 14-day sessions, the day of failures and the week of jobs
    const fresh = await desk.as('agent');
    await drainJobs(desk);

    expect(await count(sql`select count(*)::int as n from sessions s join users u on u.id = s.user_id where u.email = ${old.email}`)).toBe(0);
    expect(await count(sql`select count(*)::int as n from sessions s join users u on u.id = s.user_id where u.email = ${fresh.email}`)).toBe(1);
    expect(await count(sql`select count(*)::int as n from login_failures`)).toBe(0);
    expect(await count(sql`select count(*)::int as n from jobs where name = 'test.noop'`)).toBe(0);
    // The fresh session still works, and the next sweep waits in the queue.
    expect((await desk.request(fresh, 'GET', '/api/v1/auth/me')).status).toBe(200);
    expect(await count(sql`select count(*)::int as n from jobs where name = 'housekeeping' and status = 'pending'`)).toBe(1);
  });
});

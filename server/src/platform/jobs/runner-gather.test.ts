import { afterAll, beforeAll, expect, it } from 'vitest';
import { startDesk, type TestDesk } from '../../../test/harness.js';
import { enqueue } from './jobs.js';
import { JobRunner, type Job } from './runner.js';

let desk: TestDesk;
beforeAll(async () => {
  desk = await startDesk();
});
afterAll(async () => desk?.close());

it('an idle runner woken by a burst waits a moment, then claims the burst as one batch', async () => {
  const batches: number[][] = [];
  const handler = {
    batch: async (jobs: Job[]) => {
      batches.push(jobs.map((j) => (j.payload as { n: number }).n));
      return jobs.map(() => null);
    },
  };
  const runner = new JobRunner({ ...desk.ctx, config: { ...desk.ctx.config, nodeId: 'gather' } }, { 'test.gather': handler }, { gatherMs: 500, pollMs: 60_000 });
  await runner.start();
  try {
    // Let the runner find nothing and go idle, then queue four jobs one after another, each with its NOTIFY.
    await new Promise((r) => setTimeout(r, 200));
    for (const n of [1, 2, 3, 4]) await enqueue(desk.ctx.db, 'test.gather', { n }, { runAt: desk.ctx.clock.now() });
    await expect.poll(() => batches.flat().length, { timeout: 10_000 }).toBe(4);
    // Without the wait the first NOTIFY would have claimed job 1 alone.
    expect(batches).toEqual([[1, 2, 3, 4]]);
  } finally {
    await runner.stop();
  }
});

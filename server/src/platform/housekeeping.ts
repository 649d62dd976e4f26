import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.js';
import type { AppContext } from './context.js';
import { enqueue } from './jobs/jobs.js';
import type { JobHandlers } from './jobs/runner.js';
import { removeLeftoverFiles } from './leftover-files.js';

export const HOUSEKEEPING_JOB = 'housekeeping';
const HOUR_MS = 3600_000;
/** The hour (UTC) whose sweep also looks through the stored files: walking them all is once a day's work. */
export const FILES_SWEEP_HOUR = 3;
/** Finished jobs are kept this long for the jobs API and for their dedupe keys, then removed. */
export const DONE_JOBS_KEPT_DAYS = 7;

/** Queues the next hourly sweep; the dedupe key makes it one per hour whatever the number of nodes. */
export async function scheduleHousekeeping(ctx: AppContext, db: DbOrTx = ctx.db) {
  const next = Math.floor(ctx.clock.now().getTime() / HOUR_MS) + 1;
  await enqueue(db, HOUSEKEEPING_JOB, { files: next % 24 === FILES_SWEEP_HOUR }, { runAt: new Date(next * HOUR_MS), dedupeKey: `${HOUSEKEEPING_JOB}:${next}` });
}

/** Removes what only grows: expired sessions, old sign-in failures, long-finished jobs (and once a day leftover files). */
export async function sweep(ctx: AppContext) {
  const now = ctx.clock.now();
  const day = new Date(now.getTime() - 24 * HOUR_MS).toISOString();
  const kept = new Date(now.getTime() - DONE_JOBS_KEPT_DAYS * 24 * HOUR_MS).toISOString();
  const result = await ctx.db.execute(sql`
    with s as (delete from sessions where expires_at <= ${now.toISOString()}::timestamptz returning 1),
         f as (delete from login_failures where created_at < ${day}::timestamptz returning 1),
         j as (delete from jobs where status = 'done' and finished_at < ${kept}::timestamptz returning 1)
    select (select count(*) from s)::int as sessions, (select count(*) from f)::int as "loginFailures", (select count(*) from j)::int as jobs
  `);
  return result.rows[0] as { sessions: number; loginFailures: number; jobs: number };
}

export function housekeepingJobs(ctx: AppContext): JobHandlers {
  return {
    [HOUSEKEEPING_JOB]: async (payload: { files?: boolean }) => {
      const removed = { ...(await sweep(ctx)), ...(payload.files ? { leftoverFiles: await removeLeftoverFiles(ctx) } : {}) };
      ctx.log.info({ removed }, 'housekeeping');
      await scheduleHousekeeping(ctx);
    },
  };
}

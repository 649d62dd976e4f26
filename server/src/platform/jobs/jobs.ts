import { sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';

export const JOBS_CHANNEL = 'frontline_jobs';
/** How soon a queued job must be due for its runners to be woken rather than find it on their next poll. */
const WAKE_WITHIN_MS = 1000;

/** `runAt` comes from the app's clock, which the runner also uses to decide what is due (never the database's now()). */
export type EnqueueOptions = { runAt: Date; dedupeKey?: string; maxAttempts?: number };

/** One job to queue: what `enqueue` takes, as a value, so several can go in one statement. */
export type JobSpec = EnqueueOptions & { name: string; payload: unknown };

/**
 * The CTEs that queue `specs` (with a dedupe key, at most once) and wake the runners, for a
 * statement of the caller's: `jobs_new` returns the ids; `wakes` must appear in its final select.
 * `onlyIf`: a condition on the statement's other CTEs (nothing is queued when it is false).
 */
export function queueJobsSql(specs: JobSpec[], onlyIf: SQL = sql`true`): { ctes: SQL; wakes: SQL } {
  const rows = specs.map((j) => ({ name: j.name, payload: j.payload ?? {}, run_at: j.runAt.toISOString(), dedupe_key: j.dedupeKey ?? null, max_attempts: j.maxAttempts ?? 8 }));
  // Runners poll every second anyway: only work due by then is worth waking them for (SLA timers are not).
  const wake = specs.some((j) => j.runAt.getTime() <= Date.now() + WAKE_WITHIN_MS);
  const ctes = sql`jobs_new as (
      insert into jobs (name, payload, run_at, dedupe_key, max_attempts)
      select x.name, x.payload, x.run_at, x.dedupe_key, x.max_attempts
      from json_to_recordset(${JSON.stringify(rows)}::json) as x(name text, payload jsonb, run_at timestamptz, dedupe_key text, max_attempts int)
      where ${onlyIf}
      on conflict (dedupe_key) do nothing
      returning id
    ),
    jobs_woke as (select pg_notify(${JOBS_CHANNEL}, '') as ok from jobs_new where ${wake}::boolean limit 1)`;
  return { ctes, wakes: sql`(select count(*) from jobs_woke)` };
}

/** Queues work to run after the surrounding transaction commits; with a dedupe key, at most once. Returns the ids of the jobs queued. */
export async function enqueueAll(tx: DbOrTx, specs: JobSpec[]): Promise<number[]> {
  if (!specs.length) return [];
  const { ctes, wakes } = queueJobsSql(specs);
  const result = await tx.execute(sql`with ${ctes} select id, ${wakes} as woke from jobs_new`);
  return (result.rows as { id: string | number }[]).map((r) => Number(r.id));
}

/** Queues one job; null when its dedupe key was already taken. */
export async function enqueue(tx: DbOrTx, name: string, payload: unknown, opts: EnqueueOptions): Promise<number | null> {
  const [id] = await enqueueAll(tx, [{ name, payload, ...opts }]);
  return id ?? null;
}

/**
 * A failure whose handler chooses what follows: try again in `retryInSeconds` (instead of the
 * default backoff), or `final` to give up now, as when a mail server refuses for good.
 */
export class JobFailure extends Error {
  constructor(
    message: string,
    readonly next: { retryInSeconds?: number; final?: boolean },
  ) {
    super(message);
  }
}

/** Seconds to wait before attempt n+1: 2, 4, 8 … capped at an hour, with jitter so retries spread. */
export function backoffSeconds(attempts: number): number {
  const base = Math.min(3600, 2 ** Math.max(1, attempts));
  return Math.round(base * (0.75 + Math.random() * 0.5));
}

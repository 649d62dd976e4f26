import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';

export const JOBS_CHANNEL = 'frontline_jobs';

/** `runAt` comes from the app's clock, which the runner also uses to decide what is due (never the database's now()). */
export type EnqueueOptions = { runAt: Date; dedupeKey?: string; maxAttempts?: number };

/** Queues work to run after the surrounding transaction commits; with a dedupe key, at most once. */
export async function enqueue(tx: DbOrTx, name: string, payload: unknown, opts: EnqueueOptions): Promise<number | null> {
  const result = await tx.execute(sql`
    with j as (
      insert into jobs (name, payload, run_at, dedupe_key, max_attempts)
      values (${name}, ${JSON.stringify(payload ?? {})}::jsonb, ${opts.runAt.toISOString()}::timestamptz,
              ${opts.dedupeKey ?? null}, ${opts.maxAttempts ?? 8})
      on conflict (dedupe_key) do nothing
      returning id
    )
    select id, (select pg_notify(${JOBS_CHANNEL}, '')) is null as woke from j
  `);
  const row = result.rows[0] as { id: string | number } | undefined;
  return row ? Number(row.id) : null;
}

/** Seconds to wait before attempt n+1: 2, 4, 8 … capped at an hour, with jitter so retries spread. */
export function backoffSeconds(attempts: number): number {
  const base = Math.min(3600, 2 ** Math.max(1, attempts));
  return Math.round(base * (0.75 + Math.random() * 0.5));
}

import { and, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { jobs } from '../../platform/jobs/jobs.table.js';
import { messages } from '../tickets/tickets.table.js';
import { clip } from '../../platform/text.js';

/** The outbox's send job (outbound.ts); defined here so the ticket read path needs no sending code. */
export const SEND_JOB = 'email.send';

export type DeliveryState = 'queued' | 'sending' | 'sent' | 'retrying' | 'failed' | 'bounced';
export type Delivery = { state: DeliveryState; attempts: number; lastError: string | null; nextAttemptAt: string | null; outboundId: string };

type Raw = { id: string; status: 'pending' | 'sent' | 'failed' | 'bounced'; attempts: number; lastError: string | null; jobStatus: string | null; runAt: string | null };

/**
 * One column for the ticket's messages query (no extra round trip): the reply's outbox row and, while
 * it is pending, its send job. Retries re-queue under `email.send:<id>:<attempts>`, so the job is
 * found by exact dedupe keys, which the unique index serves.
 */
export const deliveryColumn: SQL<unknown> = sql`(
  select json_build_object('id', o.id, 'status', o.status, 'attempts', o.attempts, 'lastError', o.last_error, 'jobStatus', j.status, 'runAt', j.run_at)
  from outbound_emails o
  left join lateral (
    select jb.status, jb.run_at from jobs jb
    where jb.dedupe_key = any(array[${SEND_JOB} || ':' || o.id::text] || array(select ${SEND_JOB} || ':' || o.id::text || ':' || g from generate_series(0, o.attempts) g))
    order by jb.id desc limit 1
  ) j on o.status = 'pending'
  where o.message_id = ${messages.id} and o.kind = 'reply'
  order by o.created_at desc limit 1
)`;

/** Relay errors can quote a URL with its password: keep them short and without credentials. */
export function shortError(message: string | null): string | null {
  if (!message) return null;
  const clean = message.replace(/([a-z][a-z0-9+.-]*:\/\/)[^\s/@]*@/gi, '$1***@').replace(/\s+/g, ' ').trim();
  return clean.length > 200 ? `${clip(clean, 199)}…` : clean;
}

export function presentDelivery(value: unknown): Delivery | null {
  if (value === null || value === undefined) return null;
  const r = (typeof value === 'string' ? JSON.parse(value) : value) as Raw;
  let state: DeliveryState;
  if (r.status !== 'pending') state = r.status;
  else if (r.jobStatus === 'running') state = 'sending';
  else state = r.attempts === 0 ? 'queued' : 'retrying';
  return {
    state,
    attempts: r.attempts,
    lastError: state === 'sent' ? null : shortError(r.lastError),
    nextAttemptAt: r.status === 'pending' && r.jobStatus === 'pending' && r.runAt ? new Date(r.runAt).toISOString() : null,
    outboundId: r.id,
  };
}

/** When each waiting outbox row is tried next (its pending send job), by outbox id; the same dedupe keys as deliveryColumn. */
export async function nextAttempts(db: DbOrTx, rows: { id: string; status: string; attempts: number }[]): Promise<Map<string, Date>> {
  const keys = rows.filter((r) => r.status === 'pending').flatMap((r) => [`${SEND_JOB}:${r.id}`, ...Array.from({ length: r.attempts + 1 }, (_, n) => `${SEND_JOB}:${r.id}:${n}`)]);
  if (!keys.length) return new Map();
  const found = await db.select({ key: jobs.dedupeKey, runAt: jobs.runAt }).from(jobs).where(and(inArray(jobs.dedupeKey, keys), eq(jobs.status, 'pending')));
  return new Map(found.map((j) => [j.key!.split(':')[1], j.runAt]));
}

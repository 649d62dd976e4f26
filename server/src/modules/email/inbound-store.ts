import crypto from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import type { AppContext } from '../../platform/context.js';
import { enqueue, JOBS_CHANNEL } from '../../platform/jobs/jobs.js';
import { inboundEmails } from './email.table.js';

export const INBOUND_JOB = 'email.inbound';

export type InboundInput = {
  raw: Buffer;
  source: 'smtp' | 'imap' | 'http';
  mailboxId?: string | null;
  envelopeFrom?: string | null;
  envelopeTo?: string[];
};

/**
 * Keeps the raw bytes and a row for them, and queues processing, before anyone is told "accepted".
 * The same bytes arriving twice (a sender retrying after a lost 250) are stored once.
 */
export async function storeInbound(ctx: AppContext, input: InboundInput): Promise<{ id: string; duplicate: boolean }> {
  const sha256 = await sha256Of(input.raw);
  // A resend is rare: its bytes are written anyway and removed when the insert below finds the first copy.
  const storageKey = await ctx.storage.put(input.raw);
  const now = ctx.clock.now().toISOString();
  const envelopeTo = (input.envelopeTo ?? []).map((a) => a.toLowerCase());
  // The row and its job in one statement, so one commit (one WAL flush) per accepted message.
  // Same job as enqueue() would write: same dedupe key, attempts, and wake-up for the runners.
  const result = await ctx.db.execute(sql`
    with row as (
      insert into inbound_emails (source, sha256, size, storage_key, mailbox_id, envelope_from, envelope_to, received_at)
      values (${input.source}, ${sha256}, ${input.raw.length}, ${storageKey}, ${input.mailboxId ?? null}, ${input.envelopeFrom ?? null},
              array(select jsonb_array_elements_text(${JSON.stringify(envelopeTo)}::jsonb)), ${now}::timestamptz)
      on conflict (sha256) do nothing
      returning id
    ),
    job as (
      insert into jobs (name, payload, run_at, dedupe_key, max_attempts)
      select ${INBOUND_JOB}, jsonb_build_object('inboundId', id), ${now}::timestamptz, ${INBOUND_JOB} || ':' || id || ':0', 3 from row
      on conflict (dedupe_key) do nothing
      returning id
    )
    select row.id, (select count(pg_notify(${JOBS_CHANNEL}, '')) from job) as woke from row
  `);
  const stored = result.rows[0] as { id: string } | undefined;
  if (stored) {
    return { id: stored.id, duplicate: false };
  }
  // The same bytes were stored before (a resend), or a moment ago by another connection.
  await ctx.storage.remove(storageKey);
  const [other] = await ctx.db.select({ id: inboundEmails.id }).from(inboundEmails).where(eq(inboundEmails.sha256, sha256));
  return { id: other.id, duplicate: true };
}

/** Hashes in 1 MB slices, yielding between them: a 25 MB message would otherwise hold the event loop ~50 ms. */
async function sha256Of(raw: Buffer): Promise<string> {
  const hash = crypto.createHash('sha256');
  const slice = 1024 * 1024;
  for (let at = 0; at < raw.length; at += slice) {
    hash.update(raw.subarray(at, at + slice));
    if (at + slice < raw.length) await new Promise((r) => setImmediate(r));
  }
  return hash.digest('hex');
}

/**
 * At start-up, queues another look at every message still waiting. A process killed mid-job leaves
 * its job marked running until the runner deems it stale; processing is idempotent (row lock and
 * status check), so a second job for the same message is safe and saves the wait.
 */
export async function requeueWaitingInbound(ctx: AppContext): Promise<number> {
  const waiting = await ctx.db.select({ id: inboundEmails.id }).from(inboundEmails).where(eq(inboundEmails.status, 'pending'));
  const boot = crypto.randomUUID();
  for (const row of waiting) {
    await enqueue(ctx.db, INBOUND_JOB, { inboundId: row.id }, { runAt: ctx.clock.now(), dedupeKey: `${INBOUND_JOB}:${row.id}:boot-${boot}`, maxAttempts: 3 });
  }
  return waiting.length;
}

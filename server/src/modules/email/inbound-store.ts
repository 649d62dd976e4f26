import crypto from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { AppContext } from '../../platform/context.js';
import { enqueue } from '../../platform/jobs/jobs.js';
import { inboundEmails } from './email.table.js';

export const INBOUND_JOB = 'email.inbound';
export const MAX_MESSAGE_BYTES = 40 * 1024 * 1024;

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
  const sha256 = crypto.createHash('sha256').update(input.raw).digest('hex');
  const [seen] = await ctx.db.select({ id: inboundEmails.id }).from(inboundEmails).where(eq(inboundEmails.sha256, sha256));
  if (seen) return { id: seen.id, duplicate: true };
  const storageKey = await ctx.storage.put(input.raw);
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(inboundEmails)
      .values({
        source: input.source,
        sha256,
        size: input.raw.length,
        storageKey,
        mailboxId: input.mailboxId ?? null,
        envelopeFrom: input.envelopeFrom ?? null,
        envelopeTo: (input.envelopeTo ?? []).map((a) => a.toLowerCase()),
        receivedAt: ctx.clock.now(),
      })
      .onConflictDoNothing()
      .returning({ id: inboundEmails.id });
    if (!row) {
      const [other] = await tx.select({ id: inboundEmails.id }).from(inboundEmails).where(eq(inboundEmails.sha256, sha256));
      return { id: other.id, duplicate: true };
    }
    await enqueue(tx, INBOUND_JOB, { inboundId: row.id }, { runAt: ctx.clock.now(), dedupeKey: `${INBOUND_JOB}:${row.id}:0`, maxAttempts: 3 });
    return { id: row.id, duplicate: false };
  });
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

import crypto from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { AppContext } from '../../platform/context.js';
import { clip } from '../../platform/text.js';
import { inboundEmails } from './email.table.js';
import { parseMime } from './parse-mime.js';

/** Of a message over the limit, at most this much of its header is kept: enough to say whose it is. */
export const HEADERS_KEPT_BYTES = 64 * 1024;

const MB = 1024 * 1024;
export const mb = (bytes: number) => `${Number((bytes / MB).toFixed(1))} MB`;

/**
 * The error a person reads on the failed list: what, how big, the limit and the setting that sets
 * it. Raising the limit fetches it, found again by its Message-ID: without one, it is left alone.
 */
export function tooLargeError(size: number, limit: number, hasMessageId = true): string {
  const later = hasMessageId ? 'it is fetched on its own once the limit allows it' : 'it has no Message-ID, so raising the limit does not fetch it: fetch it by hand';
  return `Message too large: ${mb(size)} (${size} bytes) is over the limit of ${mb(limit)} (FRONTLINE_MAX_MESSAGE_MB); only its headers were kept, the message stays on the mail server; ${later}`;
}

/** Held mail the limit now allows, that is no longer where it was left. */
export function notOnServerError(size: number, limit: number, messageId: string, folder: string): string {
  return `Message too large when fetched: ${mb(size)} (${size} bytes) fits the limit of ${mb(limit)} now, but no read message with Message-ID ${messageId} is in ${folder} on the mail server (moved or deleted?); fetch it by hand`;
}

/**
 * A message we could not refuse (IMAP: it is already in the mailbox) but will not take: its headers
 * are stored as a failed entry, so someone sees it; the fetcher takes it once the limit allows (held-mail.ts).
 * The same headers twice (a crash before the server flag was set) are recorded once.
 */
export async function recordTooLarge(
  ctx: AppContext,
  input: { headers: Buffer; size: number; source: 'imap'; mailboxId: string | null; envelopeTo: string[] },
): Promise<{ id: string; duplicate: boolean }> {
  const headers = input.headers.subarray(0, HEADERS_KEPT_BYTES);
  const sha256 = crypto.createHash('sha256').update('headers-only\0').update(headers).digest('hex');
  // 64 KB at most: parsed here, not in the worker.
  const parsed = await parseMime(headers).catch(() => null);
  const storageKey = await ctx.storage.put(headers);
  const [row] = await ctx.db
    .insert(inboundEmails)
    .values({
      source: input.source,
      sha256,
      size: input.size,
      storageKey,
      mailboxId: input.mailboxId,
      envelopeTo: input.envelopeTo.map((a) => a.toLowerCase()),
      status: 'failed',
      headersOnly: true,
      error: tooLargeError(input.size, ctx.config.maxMessageBytes, Boolean(parsed?.messageId)),
      subject: parsed ? clip(parsed.subject, 500) : null,
      fromAddress: parsed?.from?.address ?? null,
      headerMessageId: parsed?.messageId ?? null,
      receivedAt: ctx.clock.now(),
    })
    .onConflictDoNothing({ target: inboundEmails.sha256 })
    .returning({ id: inboundEmails.id });
  if (row) return { id: row.id, duplicate: false };
  await ctx.storage.remove(storageKey);
  const [seen] = await ctx.db.select({ id: inboundEmails.id }).from(inboundEmails).where(eq(inboundEmails.sha256, sha256));
  return { id: seen.id, duplicate: true };
}

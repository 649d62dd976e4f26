import { and, asc, eq, lte, sql } from 'drizzle-orm';
import type { ImapFlow } from 'imapflow';
import type { AppContext } from '../../platform/context.js';
import { conflict } from '../../platform/errors.js';
import { enqueue } from '../../platform/jobs/jobs.js';
import { inboundEmails, mailboxes } from './email.table.js';
import { storeInbound } from './inbound-store.js';
import type { MailboxRow } from './mailboxes.service.js';
import { mb, notOnServerError, tooLargeError } from './too-large.js';

/** Fetches a mailbox's held mail now, rather than at its next poll: queued by a retry. */
export const REFETCH_JOB = 'email.refetch';

// The condition of the partial index inbound_emails_held_idx, written as constants so the planner can use it.
const held = sql`${inboundEmails.headersOnly} and ${inboundEmails.status} = 'failed' and ${inboundEmails.headerMessageId} is not null and ${inboundEmails.heldMissingAt} is null`;

/**
 * Mail of this mailbox held back as too large (headers only) that the limit now allows. Asked on
 * every poll and almost always empty: one probe of a partial index holding only held mail. Mail not
 * found on the server once is left out (each would cost a search of the folder at every poll) until
 * a retry asks for it.
 */
async function heldThatFits(ctx: AppContext, mailboxId: string) {
  return ctx.db
    .select({ id: inboundEmails.id, size: inboundEmails.size, headerMessageId: inboundEmails.headerMessageId })
    .from(inboundEmails)
    .where(and(eq(inboundEmails.mailboxId, mailboxId), held, lte(inboundEmails.size, ctx.config.maxMessageBytes)))
    .orderBy(asc(inboundEmails.receivedAt));
}

/**
 * The UID of the held message on the server: read (\Seen) with this Message-ID, the one we flagged
 * first. Not only flagged ones: a pass that removed the flag and then crashed must still find it.
 */
async function findOnServer(client: ImapFlow, messageId: string): Promise<number | null> {
  const uids = (await client.search({ seen: true, header: { 'message-id': messageId } }, { uid: true })) || [];
  if (!uids.length) return null;
  // SEARCH HEADER matches a substring: keep those whose Message-ID is this one.
  const found = (await client.fetchAll(uids.join(','), { flags: true, headers: ['message-id'] }, { uid: true })).filter((m) =>
    m.headers?.toString('latin1').toLowerCase().includes(messageId.toLowerCase()),
  );
  const pick = found.find((m) => m.flags?.has('\\Flagged')) ?? found[0];
  return pick?.uid ?? null;
}

/**
 * Within a pass (folder locked): downloads each held message that now fits, stores it the normal
 * way, removes our \Flagged, then marks the held entry replaced. Each step can be repeated after
 * a crash: the same bytes are stored once (storeInbound), a message unflagged but not yet marked is
 * found again (it is still \Seen), and only a failed entry is marked.
 */
export async function fetchHeld(ctx: AppContext, client: ImapFlow, mailbox: MailboxRow): Promise<number> {
  const entries = await heldThatFits(ctx, mailbox.id);
  let fetched = 0;
  for (const entry of entries) {
    const messageId = entry.headerMessageId!;
    const limit = ctx.config.maxMessageBytes;
    const uid = await findOnServer(client, messageId);
    if (uid === null) {
      await ctx.db
        .update(inboundEmails)
        .set({ error: notOnServerError(entry.size, limit, messageId, mailbox.imap!.folder), heldMissingAt: ctx.clock.now() })
        .where(and(eq(inboundEmails.id, entry.id), eq(inboundEmails.status, 'failed')));
      continue;
    }
    const msg = await client.fetchOne(String(uid), { source: true }, { uid: true });
    if (!msg || !msg.source) continue;
    if (msg.source.length > limit) {
      // The server's stated size was short: the real one is kept, so the next poll does not try again.
      await ctx.db.update(inboundEmails).set({ size: msg.source.length, error: tooLargeError(msg.source.length, limit) }).where(eq(inboundEmails.id, entry.id));
      continue;
    }
    const stored = await storeInbound(ctx, { raw: msg.source, source: 'imap', mailboxId: mailbox.id, envelopeTo: [mailbox.address] });
    await client.messageFlagsRemove(String(uid), ['\\Flagged'], { uid: true });
    await ctx.db
      .update(inboundEmails)
      .set({ status: 'duplicate', replacedBy: stored.id, error: null, processedAt: ctx.clock.now() })
      .where(and(eq(inboundEmails.id, entry.id), eq(inboundEmails.status, 'failed')));
    ctx.log.info({ mailbox: mailbox.address, uid, inboundId: stored.id, heldId: entry.id }, 'imap: held message fetched now that it fits the size limit');
    fetched++;
  }
  return fetched;
}

/**
 * A retry of held mail: refused while it is still over the limit or cannot be found by its
 * Message-ID; otherwise its mailbox is fetched at once by a job (the next poll would do it too).
 */
export async function queueRefetch(ctx: AppContext, id: string): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const [row] = await tx.select().from(inboundEmails).where(eq(inboundEmails.id, id)).for('update');
    if (!row || row.status !== 'failed' || !row.headersOnly) return;
    const limit = ctx.config.maxMessageBytes;
    if (row.size > limit) {
      throw conflict(
        'inbound_too_large',
        `This message is ${mb(row.size)}, over the current limit of ${mb(limit)} (FRONTLINE_MAX_MESSAGE_MB): only its headers were kept. Raise the limit and it is fetched on its own, or fetch it from the mail server by hand`,
        { size: row.size, limitBytes: limit },
      );
    }
    if (!row.headerMessageId) throw conflict('inbound_not_fetchable', 'This message has no Message-ID header, so the desk cannot find it on the mail server; fetch it by hand');
    const [box] = row.mailboxId ? await tx.select().from(mailboxes).where(eq(mailboxes.id, row.mailboxId)) : [];
    if (!box || box.inboundMethod !== 'imap' || !box.imap) {
      throw conflict('inbound_not_fetchable', 'The mailbox this message came to no longer fetches mail by IMAP; fetch it from the mail server by hand');
    }
    const retries = row.retries + 1;
    // Not found on the server before: this retry's job, and polls, look for it again.
    await tx.update(inboundEmails).set({ retries, heldMissingAt: null }).where(eq(inboundEmails.id, id));
    await enqueue(tx, REFETCH_JOB, { mailboxId: box.id }, { runAt: ctx.clock.now(), dedupeKey: `${REFETCH_JOB}:${id}:${retries}`, maxAttempts: 3 });
  });
}

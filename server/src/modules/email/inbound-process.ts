import { eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import type { AppContext } from '../../platform/context.js';
import { recordTicketEvent } from '../../platform/events.js';
import { enqueue } from '../../platform/jobs/jobs.js';
import { findOrCreateCustomerByEmail } from '../customers/customers.service.js';
import type { StoredFile } from '../tickets/attachments.service.js';
import { scopeOf } from '../tickets/tickets.service.js';
import { tickets } from '../tickets/tickets.table.js';
import { onMessageAdded } from '../sla/ticket-lifecycle.js';
import { appendEmailMessage, createTicketFromEmail } from './email-tickets.service.js';
import { emailMessages, inboundEmails, outboundEmails, ticketParticipants } from './email.table.js';
import { INBOUND_JOB } from './inbound-store.js';
import { guessLanguage } from './language.js';
import { allMailboxes, mailboxFor, type MailboxRow } from './mailboxes.service.js';
import { queueNotification } from './outbound.js';
import type { ParsedEmail } from './parse-mime.js';
import { parsePool } from './parse-pool.js';
import { findThread, referencesOfReplyTo } from './threading.js';
import { copyKeys, type CopyKeys } from './copy-key.js';
import { InboundLookups } from './inbound-lookups.js';
import { clip } from '../../platform/text.js';
import { transactionLock } from '../../platform/locks.js';

/** A message that will fail however often it is tried: it goes straight to the failed list. */
export class PermanentInboundError extends Error {}

/** How the inbound list marks mail set aside on purpose (its `error`, on a processed row without a ticket). */
const IGNORED = 'ignored';

/** Automatic replies to one address per hour; past that the sender gets silence, not a loop. */
export const AUTO_REPLIES_PER_HOUR = 3;

type InboundRow = typeof inboundEmails.$inferSelect;

async function storeParts(ctx: AppContext, parsed: ParsedEmail): Promise<StoredPart[]> {
  const out: StoredPart[] = [];
  for (const a of parsed.attachments) {
    const data = Buffer.from(a.content.buffer, a.content.byteOffset, a.content.byteLength);
    out.push({ filename: clip(a.filename, 255), contentType: a.contentType, size: data.length, storageKey: await ctx.storage.put(data), contentId: a.contentId });
  }
  return out;
}

/** A Content-ID that can only ever match inside an attribute value: the sender chooses it. */
const plainContentId = /^[A-Za-z0-9!#$%*+\-.\/=?^_`{|}~@]{1,200}$/;

/**
 * Points cid: images at the stored attachment, so the agent sees them without leaving the desk. Runs
 * on sanitised HTML, so it replaces only whole `src="cid:…"` attributes of plain Content-IDs: an ID
 * holding quotes or brackets could otherwise join text after the tag back into it.
 */
function linkInlineImages(html: string | null, files: { id: string }[], stored: { contentId: string | null }[]): string | null {
  if (!html) return html;
  let out = html;
  stored.forEach((s, i) => {
    if (s.contentId && files[i] && plainContentId.test(s.contentId)) out = out.split(`src="cid:${s.contentId}"`).join(`src="/api/v1/attachments/${files[i].id}"`);
  });
  return out;
}

const noReplyAddress = /^(no-?reply|do-?not-?reply|mailer-daemon|postmaster|bounces?)[+@]/i;

type Tx = Parameters<Parameters<AppContext['db']['transaction']>[0]>[0];
type StoredPart = StoredFile & { contentId: string | null };
/** One message made ready outside any transaction: parsed in the worker, attachments stored. */
type Prepared = {
  row: InboundRow;
  parsed?: ParsedEmail;
  sender?: string;
  /** What tells a copy of this mail from another mail under its Message-ID. */
  keys?: CopyKeys;
  stored?: StoredPart[];
  /** Set once a message will refer to the stored parts: from then on they are never removed. */
  kept?: boolean;
  error?: unknown;
};
export type InboundItem = { inboundId: string; final: boolean };

/**
 * Parsed mail one transaction may hold in memory; a single larger message goes alone. The next
 * claim is prepared while one writes, so about twice this is held at most.
 */
const BATCH_BYTES = 32 * 1024 * 1024;

const waiting = (row: InboundRow) => row.status === 'pending' || row.status === 'failed';

async function prepare(ctx: AppContext, row: InboundRow): Promise<Prepared> {
  let parsed: ParsedEmail | undefined;
  try {
    const file = ctx.storage.fileOf?.(row.storageKey);
    const raw = file ? null : await ctx.storage.get(row.storageKey);
    try {
      parsed = await (raw ? parsePool.parse(raw) : parsePool.parseFile(file!));
    } catch (err) {
      throw new PermanentInboundError(err instanceof Error ? err.message : String(err));
    }
    const sender = parsed.from?.address ?? row.envelopeFrom ?? null;
    if (!sender || !/^[^\s@]+@[^\s@]+$/.test(sender)) throw new PermanentInboundError('the message has no sender address (From)');
    const from = sender.toLowerCase();
    const keys = copyKeys(from, parsed.wordsHash, parsed.filesHash);
    return { row, parsed, sender: from, keys, stored: await storeParts(ctx, parsed) };
  } catch (error) {
    return { row, parsed, error };
  }
}

/**
 * Job, in two steps (a staged handler): first each message of the claim is parsed in the worker and
 * its attachments stored, outside any transaction; the step returned then threads them onto tickets
 * in store order, in one transaction (one commit for the batch). The runner prepares the next claim
 * while this one writes. Answers per message: null when done (permanent failures included: they wait
 * in the failed list), an error for the runner to retry.
 */
export async function prepareInboundBatch(ctx: AppContext, items: InboundItem[]): Promise<() => Promise<(Error | null)[]>> {
  const ids = [...new Set(items.map((i) => i.inboundId))];
  const rows = new Map((await ctx.db.select().from(inboundEmails).where(inArray(inboundEmails.id, ids))).map((r) => [r.id, r]));
  // Parsed mail is held until its transaction ends: big messages split the batch into parts.
  const parts: number[][] = [[]];
  let bytes = 0;
  for (const [i, item] of items.entries()) {
    const size = rows.get(item.inboundId)?.size ?? 0;
    if (parts.at(-1)!.length && bytes + size > BATCH_BYTES) {
      parts.push([]);
      bytes = 0;
    }
    parts.at(-1)!.push(i);
    bytes += size;
  }
  const asked = new Set<string>();
  const first = await preparePart(ctx, items, parts[0], rows, asked);
  return async () => {
    const results: (Error | null)[] = items.map(() => null);
    const prepared: (Prepared | null)[] = [];
    try {
      for (const [n, part] of parts.entries()) {
        const ready = n === 0 ? first : await preparePart(ctx, items, part, rows, asked);
        prepared.push(...ready);
        await writePart(ctx, items, part, ready, results);
      }
    } finally {
      await removeUnkept(ctx, prepared);
    }
    return results;
  };
}

/**
 * Parts stored for mail that did not become a message (a duplicate, a bounce, mail waiting for an
 * earlier one, a failure to be retried, which stores them again) are removed, so retries and
 * copies do not fill the data folder with files nothing refers to.
 */
async function removeUnkept(ctx: AppContext, prepared: (Prepared | null)[]) {
  const unkept = prepared.flatMap((p) => (p && !p.kept ? (p.stored ?? []) : []));
  await Promise.all(unkept.map((f) => ctx.storage.remove(f.storageKey).catch((err) => ctx.log.warn({ err }, 'an unused attachment of inbound mail was not removed'))));
}

/** Every parse of the part is asked for at once (the worker takes them in turn). */
function preparePart(ctx: AppContext, items: InboundItem[], part: number[], rows: Map<string, InboundRow>, asked: Set<string>) {
  return Promise.all(
    part.map((i) => {
      const row = rows.get(items[i].inboundId);
      if (!row || !waiting(row) || asked.has(row.id)) return null;
      asked.add(row.id);
      return prepare(ctx, row);
    }),
  );
}

/** One transaction for these messages (indexes into items); fills in their results. */
async function writePart(ctx: AppContext, items: InboundItem[], part: number[], ready: (Prepared | null)[], results: (Error | null)[]) {
  try {
    await ctx.db.transaction(async (tx) => {
      const ids = [...new Set(part.map((i) => items[i].inboundId))];
      await takeInboundTurn(tx);
      const locked = await lockRows(tx, ids);
      const shared = await batchContext(ctx, tx, ready, ids);
      for (const [k, i] of part.entries()) {
        const p = ready[k];
        const row = p && locked.get(p.row.id);
        if (!p || !row || !waiting(row)) continue;
        // PGlite answers without real I/O: without a pause a whole batch would hold the event loop.
        await new Promise((resolve) => setImmediate(resolve));
        if (p.error) results[i] = await recordFailure(ctx, tx, p, items[i].final, p.error);
        else if (waitsForEarlier(p, row, shared, items[i].final)) results[i] = new Error(WAITING);
        else await applyInbound(ctx, tx, row, p, shared);
      }
    });
    return;
  } catch (err) {
    if (part.length === 1) ctx.log.debug({ err }, 'inbound message failed');
    else ctx.log.warn({ err, messages: part.length }, 'inbound batch failed: processing its messages one by one');
  }
  // Something failed and took the batch's transaction with it: one transaction per message instead,
  // so one bad message costs the others nothing.
  for (const [k, i] of part.entries()) {
    const p = ready[k];
    if (p) results[i] = await processOne(ctx, p, items[i].final);
  }
}

async function processOne(ctx: AppContext, p: Prepared, final: boolean): Promise<Error | null> {
  if (p.error) return recordFailure(ctx, ctx.db, p, final, p.error);
  try {
    return await ctx.db.transaction(async (tx) => {
      await takeInboundTurn(tx);
      const row = (await lockRows(tx, [p.row.id])).get(p.row.id);
      if (!row || !waiting(row)) return null;
      const shared = await batchContext(ctx, tx, [p], [p.row.id]);
      if (waitsForEarlier(p, row, shared, final)) return new Error(WAITING);
      await applyInbound(ctx, tx, row, p, shared);
      return null;
    });
  } catch (err) {
    return recordFailure(ctx, ctx.db, p, final, err);
  }
}

/**
 * What every message of a batch needs, read once: the mailboxes, known Message-IDs and
 * acknowledgements, and when the oldest message outside the batch still waiting was received.
 */
type BatchContext = { boxes: MailboxRow[]; lookups: InboundLookups; oldestWaiting: Date | null };

async function batchContext(ctx: AppContext, tx: Tx, prepared: (Prepared | null)[], ids: string[]): Promise<BatchContext> {
  const ok = prepared.filter((p): p is Prepared & { parsed: ParsedEmail; sender: string } => !!p && !p.error);
  const ackSince = new Date(ctx.clock.now().getTime() - 3600_000);
  const boxes = await allMailboxes(tx);
  const lookups = await InboundLookups.load(tx, ok, ackSince, ids);
  return { boxes, lookups, oldestWaiting: lookups.oldestWaiting };
}

/**
 * Inbound batches run one at a time across the cluster (a lock held until the batch commits), so a
 * batch sees everything committed before it: a reply finds a parent processed on another node, a
 * resend finds its first copy.
 */
async function takeInboundTurn(tx: Tx) {
  await tx.execute(transactionLock('inboundTurn'));
}

const WAITING = 'waiting for earlier mail still being processed';

/**
 * A reply whose parent is unknown while mail received before it is still unprocessed (claimed by
 * another node, or waiting for a retry): the parent may be among it, so the reply waits for the
 * runner's next try rather than open a ticket of its own. On its last attempt it goes ahead.
 */
function waitsForEarlier(p: Prepared, row: InboundRow, shared: BatchContext, final: boolean): boolean {
  if (final || !shared.oldestWaiting || shared.oldestWaiting >= row.receivedAt) return false;
  const refs = [...p.parsed!.inReplyTo, ...p.parsed!.references];
  return refs.length > 0 && !refs.some((h) => shared.lookups.ticketsOf(h).length);
}

/** Locks the rows in id order, so two nodes holding the same messages never deadlock. */
async function lockRows(tx: Tx, ids: string[]): Promise<Map<string, InboundRow>> {
  const rows = await tx.select().from(inboundEmails).where(inArray(inboundEmails.id, ids)).orderBy(inboundEmails.id).for('update');
  return new Map(rows.map((r) => [r.id, r]));
}

/** Notes why a message failed; returns the error when the runner should try again. */
async function recordFailure(ctx: AppContext, db: DbOrTx, p: Prepared, final: boolean, err: unknown): Promise<Error | null> {
  const permanent = err instanceof PermanentInboundError;
  // Driver errors quote the statement's values: a NUL among them would make this update fail too.
  const message = (err instanceof Error ? err.message : String(err)).replaceAll('\0', '');
  const { parsed } = p;
  const outcome = { status: permanent || final ? ('failed' as const) : ('pending' as const), error: clip(message, 2000), attempts: sql`${inboundEmails.attempts} + 1` };
  // What was readable, so the failed list says which message this is.
  const readable = parsed ? { subject: clip(parsed.subject, 500), fromAddress: parsed.from?.address ?? null, headerMessageId: parsed.messageId } : {};
  try {
    await db.update(inboundEmails).set({ ...outcome, ...readable }).where(eq(inboundEmails.id, p.row.id));
  } catch (cause) {
    // Whatever the headers hold, the failure itself must be recorded, or the message waits unseen.
    ctx.log.warn({ err: cause, inboundId: p.row.id }, 'inbound failure recorded without its headers');
    await db.update(inboundEmails).set(outcome).where(eq(inboundEmails.id, p.row.id));
  }
  // Permanent failures wait in the failed list for a person; others go back to the job runner.
  if (permanent) {
    ctx.log.warn({ inboundId: p.row.id, error: clip(message, 2000) }, 'inbound email failed');
    return null;
  }
  return err instanceof Error ? err : new Error(message);
}

/**
 * The mailbox a message came to: the one it was fetched from; else, of ours it was delivered to (the
 * envelope), the first in its To, then Cc (mail To billing with support in Cc is billing's); without
 * an envelope the first of ours in To, then Cc; else the default.
 */
async function mailboxOf(ctx: AppContext, tx: Tx, boxes: MailboxRow[], row: InboundRow, parsed: ParsedEmail): Promise<MailboxRow> {
  const byAddress = (a: string) => boxes.find((m) => m.address.toLowerCase() === a.toLowerCase());
  const delivered = row.envelopeTo.map(byAddress).filter((m): m is MailboxRow => !!m);
  const written = [...parsed.to, ...parsed.cc].map((a) => byAddress(a.address)).filter((m): m is MailboxRow => !!m);
  const chosen = delivered.length ? (written.find((m) => delivered.includes(m)) ?? delivered[0]) : written[0];
  const found = row.mailboxId ? boxes.find((m) => m.id === row.mailboxId) : chosen;
  return found ?? byAddress(ctx.config.supportAddress) ?? (await mailboxFor(ctx, tx, []));
}

/** Threads one parsed message onto a ticket, inside the caller's transaction, with its row locked. */
async function applyInbound(ctx: AppContext, tx: Tx, locked: InboundRow, p: Prepared, { boxes, lookups }: BatchContext) {
  const parsed = p.parsed!;
  const sender = p.sender!;
  const stored = p.stored!;
  const keys = p.keys!;
  const row = locked;
  const now = ctx.clock.now();
  // `mailboxId`: the mailbox it was found to be for, so replies on its ticket go out from that address.
  const finishing = (status: InboundRow['status'], ticketId: string | null, messageId: string | null, note: string | null = null, mailboxId = row.mailboxId) =>
    tx
      .update(inboundEmails)
      .set({ status, ticketId, messageId, error: note, processedAt: now, headerMessageId: parsed.messageId, subject: clip(parsed.subject, 500), fromAddress: sender, mailboxId })
      .where(eq(inboundEmails.id, row.id));
  const finish = async (status: InboundRow['status'], ticketId: string | null, messageId: string | null, note: string | null = null) => {
    await finishing(status, ticketId, messageId, note);
    locked.status = status;
  };
  // Seen before under the same Message-ID (a resend, a second mailbox, an IMAP re-fetch), or,
  // without one, with the same sender, date, recipients and words (the stand-in id). Only the same
  // mail is a copy (copy-key.ts): other mail under a reused id is kept as its own message.
  const known = parsed.messageId ?? parsed.standInId;
  const dup = known ? lookups.copyOf(known, keys) : undefined;
  if (dup) return finish('duplicate', dup.ticketId, dup.messageId);
  const reused = known ? lookups.holds(known) : false;

  if (parsed.bounce) {
    const bounced = parsed.bouncedMessageIds.length
      ? await tx
          .select()
          .from(outboundEmails)
          .where(sql`lower(${outboundEmails.headerMessageId}) in (select lower(b.header) from jsonb_array_elements_text(${JSON.stringify(parsed.bouncedMessageIds)}::jsonb) as b(header))`)
      : [];
    for (const out of bounced) {
      // Recorded already: a second copy of this report (another path, another mailbox). A send
      // retried since is 'pending' or 'sent' again, so its new bounce still counts.
      if (out.status === 'bounced') continue;
      await tx.update(outboundEmails).set({ status: 'bounced', bounceReason: parsed.bounceReason }).where(eq(outboundEmails.id, out.id));
      const [t] = await tx.select().from(tickets).where(eq(tickets.id, out.ticketId));
      await recordTicketEvent(tx, scopeOf(t), {
        type: 'email.bounced',
        // Staff work (the address, the mail server's reason): customers never get it, like a note.
        internal: true,
        at: now,
        data: { outboundId: out.id, messageId: out.messageId, to: out.toAddress, reason: parsed.bounceReason },
      });
    }
    return finish('bounce', bounced[0]?.ticketId ?? null, bounced[0]?.messageId ?? null);
  }

  // Our own mail come back (a forwarding rule, a list, a relay loop) is no customer's word: it
  // would reopen tickets or open new ones. Kept, with no ticket and no answer, and the reason.
  const own = new Set([...boxes.map((m) => m.address.toLowerCase()), ctx.config.supportAddress]);
  if (own.has(sender)) return finish('processed', null, null, `${IGNORED}: sent from this desk's own address`);
  if (parsed.messageId && lookups.sentHere(parsed.messageId)) return finish('processed', null, null, `${IGNORED}: a copy of mail this desk sent`);

  const mailbox = await mailboxOf(ctx, tx, boxes, locked, parsed);
  const customer =
    lookups.customerOf(sender) ?? (await findOrCreateCustomerByEmail(tx, { email: sender, name: parsed.from?.name || undefined, language: guessLanguage(parsed.text) }));
  lookups.noteCustomer(sender, customer);

  let ticket = await findThread(tx, parsed, customer.id, sender, (h) => lookups.ticketsOf(h));
  let followUpOf = null;
  // An automatic answer (out of office) is filed where it belongs; it opens no follow-up.
  if (ticket?.status === 'closed' && mailbox.closedReplyAction === 'follow_up' && !parsed.automated) {
    followUpOf = ticket;
    ticket = null;
  }
  const body = parsed.trimmedText || parsed.text.trim();
  const input = { customerId: customer.id, body, files: stored, at: now };
  p.kept = true;
  const result = ticket
    ? await appendEmailMessage(tx, ticket, { ...input, automated: parsed.automated })
    : await createTicketFromEmail(ctx, tx, { ...input, subject: parsed.subject, teamId: mailbox.teamId, followUpOf });
  // What follows a customer reply: SLA targets and timers, auto-assignment (a new ticket was written with its own).
  // An automatic answer owes nobody a response: to the SLA it is like a note.
  if (ticket) await onMessageAdded(ctx, tx, ticket, result.ticket, { fromCustomer: true, internal: parsed.automated });

  const header = known ?? `<inbound-${row.id}@frontline.invalid>`;
  // Replies, acknowledgement included, go where the sender asked (a shared inbox, an assistant).
  const replyAddress = parsed.replyTo?.address.toLowerCase();
  const copied = [...parsed.cc, ...parsed.to];
  const replyTo = replyAddress && replyAddress !== sender && !own.has(replyAddress) ? replyAddress : null;
  const email = tx.insert(emailMessages).values({
    messageId: result.messageId,
    ticketId: result.ticket.id,
    direction: 'in',
    headerMessageId: header,
    inboundId: row.id,
    fromAddress: sender,
    references: parsed.references,
    replyTo,
    toAddresses: parsed.to.map((a) => a.address),
    ccAddresses: parsed.cc.map((a) => a.address),
    subject: parsed.subject,
    html: linkInlineImages(parsed.html, result.files, stored),
    fullText: parsed.text,
    collapsed: parsed.collapsed,
    remoteImages: parsed.remoteImages,
    contentHash: keys.full,
    // Stored under the id it came with, so replies quoting it find it, without claiming the id
    // (the unique index holds only claiming rows): the first mail under an id keeps it.
    idReused: reused,
    createdAt: now,
  });
  lookups.noteReceived(header, { ticketId: result.ticket.id, messageId: result.messageId, at: now.getTime(), copy: { key: keys.full, wordsOnly: false } });

  // Cc'd people stay on the conversation; our own addresses and the requester do not count.
  const participants = new Map(copied.filter((a) => a.address !== sender && !own.has(a.address)).map((a) => [a.address, a.name || null]));
  if (participants.size) {
    await tx
      .insert(ticketParticipants)
      .values([...participants].map(([email, name]) => ({ ticketId: result.ticket.id, email, name })))
      .onConflictDoNothing();
  }

  const to = replyTo ?? sender;
  if (!ticket && mayAutoReply(parsed, sender, to, locked, mailbox.autoReplies, lookups)) {
    // Its mail row is written below, with this statement's outcome: thread under it by its own ids.
    const references = referencesOfReplyTo({ messageId: header, references: parsed.references });
    await queueNotification(tx, { ticketId: result.ticket.id, kind: 'acknowledgement', to, inReplyTo: header, references, mailbox, at: now });
    lookups.noteAcknowledgement(to);
  }
  // The email row and the inbound row's outcome in one statement (one round trip).
  await tx.execute(sql`with email as (${email.getSQL()}) ${finishing('processed', result.ticket.id, result.messageId, null, mailbox.id).getSQL()}`);
  locked.status = 'processed';
}
/** `to`: where the acknowledgement would go (the Reply-To, else the sender); the hourly limit counts that address. */
function mayAutoReply(parsed: ParsedEmail, sender: string, to: string, row: InboundRow, enabled: boolean, lookups: InboundLookups) {
  if (!enabled || parsed.automated || parsed.bounce) return false;
  if (row.envelopeFrom === '') return false; // the null sender <> is reserved for bounces
  if (noReplyAddress.test(sender) || noReplyAddress.test(to)) return false;
  return lookups.acknowledgementsTo(to) < AUTO_REPLIES_PER_HOUR;
}

/** Puts a failed message back in the queue; a person asked for it, so it gets a fresh set of attempts. */
/** Queues a failed message again; answers what the message was (null: no such message), so only a failed one is queued. */
export async function retryInbound(ctx: AppContext, id: string): Promise<{ status: string; headersOnly: boolean } | null> {
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx.select().from(inboundEmails).where(eq(inboundEmails.id, id)).for('update');
    if (!row || row.status !== 'failed' || row.headersOnly) return row ? { status: row.status, headersOnly: row.headersOnly } : null;
    const retries = row.retries + 1;
    await tx.update(inboundEmails).set({ status: 'pending', retries }).where(eq(inboundEmails.id, id));
    await enqueue(tx, INBOUND_JOB, { inboundId: id }, { runAt: ctx.clock.now(), dedupeKey: `${INBOUND_JOB}:${id}:${retries}`, maxAttempts: 3 });
    return { status: row.status, headersOnly: false };
  });
}

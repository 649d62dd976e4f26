import { and, eq, gt, inArray, sql } from 'drizzle-orm';
import type { AppContext } from '../../platform/context.js';
import { recordTicketEvent } from '../../platform/events.js';
import { enqueue } from '../../platform/jobs/jobs.js';
import { findOrCreateCustomerByEmail } from '../customers/customers.service.js';
import type { StoredFile } from '../tickets/attachments.service.js';
import { scopeOf } from '../tickets/tickets.service.js';
import { tickets } from '../tickets/tickets.table.js';
import { onMessageAdded, onTicketCreated } from '../sla/ticket-lifecycle.js';
import { appendEmailMessage, createTicketFromEmail } from './email-tickets.service.js';
import { emailMessages, inboundEmails, mailboxes, outboundEmails, ticketParticipants } from './email.table.js';
import { INBOUND_JOB } from './inbound-store.js';
import { guessLanguage } from './language.js';
import { mailboxFor, ownAddresses } from './mailboxes.service.js';
import { queueNotification } from './outbound.js';
import type { ParsedEmail } from './parse-mime.js';
import { parsePool } from './parse-pool.js';
import { findThread } from './threading.js';

/** A message that will fail however often it is tried: it goes straight to the failed list. */
export class PermanentInboundError extends Error {}

/** Automatic replies to one address per hour; past that the sender gets silence, not a loop. */
export const AUTO_REPLIES_PER_HOUR = 3;

type InboundRow = typeof inboundEmails.$inferSelect;

async function storeParts(ctx: AppContext, parsed: ParsedEmail): Promise<(StoredFile & { contentId: string | null })[]> {
  const out: (StoredFile & { contentId: string | null })[] = [];
  for (const a of parsed.attachments) {
    const data = Buffer.from(a.content.buffer, a.content.byteOffset, a.content.byteLength);
    out.push({ filename: a.filename.slice(0, 255), contentType: a.contentType, size: data.length, storageKey: await ctx.storage.put(data), contentId: a.contentId });
  }
  return out;
}

/** Points cid: images at the stored attachment, so the agent sees them without leaving the desk. */
function linkInlineImages(html: string | null, files: { id: string }[], stored: { contentId: string | null }[]): string | null {
  if (!html) return html;
  let out = html;
  stored.forEach((s, i) => {
    if (s.contentId && files[i]) out = out.split(`cid:${s.contentId}"`).join(`/api/v1/attachments/${files[i].id}"`);
  });
  return out;
}

const noReplyAddress = /^(no-?reply|do-?not-?reply|mailer-daemon|postmaster|bounces?)[+@]/i;

/** Job: parse a stored message in the worker, then thread it onto a ticket in one transaction. */
export async function processInbound(ctx: AppContext, inboundId: string, final: boolean): Promise<void> {
  const [row] = await ctx.db.select().from(inboundEmails).where(eq(inboundEmails.id, inboundId));
  if (!row || (row.status !== 'pending' && row.status !== 'failed')) return;
  let parsed: ParsedEmail | undefined;
  try {
    const file = ctx.storage.fileOf?.(row.storageKey);
    const raw = file ? null : await ctx.storage.get(row.storageKey);
    try {
      parsed = raw ? await parsePool.parse(raw) : await parsePool.parseFile(file!);
    } catch (err) {
      throw new PermanentInboundError(err instanceof Error ? err.message : String(err));
    }
    const sender = parsed.from?.address ?? row.envelopeFrom ?? null;
    if (!sender || !/^[^\s@]+@[^\s@]+$/.test(sender)) throw new PermanentInboundError('the message has no sender address (From)');
    const stored = await storeParts(ctx, parsed);
    await applyInbound(ctx, row, parsed, sender.toLowerCase(), stored);
  } catch (err) {
    const permanent = err instanceof PermanentInboundError;
    const message = err instanceof Error ? err.message : String(err);
    await ctx.db
      .update(inboundEmails)
      .set({
        status: permanent || final ? 'failed' : 'pending',
        error: message.slice(0, 2000),
        attempts: sql`${inboundEmails.attempts} + 1`,
        // What was readable, so the failed list says which message this is.
        ...(parsed ? { subject: parsed.subject.slice(0, 500), fromAddress: parsed.from?.address ?? null, headerMessageId: parsed.messageId } : {}),
      })
      .where(eq(inboundEmails.id, inboundId));
    // Permanent failures wait in the failed list for a person; others go back to the job runner.
    if (!permanent) throw err;
    ctx.log.warn({ inboundId, error: message }, 'inbound email failed');
  }
}

async function applyInbound(ctx: AppContext, row: InboundRow, parsed: ParsedEmail, sender: string, stored: (StoredFile & { contentId: string | null })[]) {
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    const [locked] = await tx.select().from(inboundEmails).where(eq(inboundEmails.id, row.id)).for('update');
    if (!locked || (locked.status !== 'pending' && locked.status !== 'failed')) return;
    const finish = (status: InboundRow['status'], ticketId: string | null, messageId: string | null) =>
      tx
        .update(inboundEmails)
        .set({ status, ticketId, messageId, error: null, processedAt: now, headerMessageId: parsed.messageId, subject: parsed.subject.slice(0, 500), fromAddress: sender })
        .where(eq(inboundEmails.id, row.id));

    // Seen before under the same Message-ID (a resend, a second mailbox, an IMAP re-fetch).
    if (parsed.messageId) {
      const [dup] = await tx.select().from(emailMessages).where(eq(emailMessages.headerMessageId, parsed.messageId));
      if (dup) return finish('duplicate', dup.ticketId, dup.messageId);
    }

    if (parsed.bounce) {
      const bounced = parsed.bouncedMessageIds.length
        ? await tx.select().from(outboundEmails).where(inArray(outboundEmails.headerMessageId, parsed.bouncedMessageIds))
        : [];
      for (const out of bounced) {
        await tx.update(outboundEmails).set({ status: 'bounced', bounceReason: parsed.bounceReason }).where(eq(outboundEmails.id, out.id));
        const [t] = await tx.select().from(tickets).where(eq(tickets.id, out.ticketId));
        await recordTicketEvent(tx, scopeOf(t), {
          type: 'email.bounced',
          at: now,
          data: { outboundId: out.id, messageId: out.messageId, to: out.toAddress, reason: parsed.bounceReason },
        });
      }
      return finish('bounce', bounced[0]?.ticketId ?? null, bounced[0]?.messageId ?? null);
    }

    const mailbox = locked.mailboxId
      ? ((await tx.select().from(mailboxes).where(eq(mailboxes.id, locked.mailboxId)))[0] ?? (await mailboxFor(ctx, tx, [])))
      : await mailboxFor(ctx, tx, [...locked.envelopeTo, ...parsed.to.map((a) => a.address), ...parsed.cc.map((a) => a.address)]);
    const customer = await findOrCreateCustomerByEmail(tx, { email: sender, name: parsed.from?.name || undefined, language: guessLanguage(parsed.text) });

    let ticket = await findThread(tx, parsed, customer.id, sender);
    let followUpOf = null;
    if (ticket?.status === 'closed' && mailbox.closedReplyAction === 'follow_up') {
      followUpOf = ticket;
      ticket = null;
    }
    const body = parsed.trimmedText || parsed.text.trim();
    const input = { customerId: customer.id, body, files: stored, at: now };
    const result = ticket
      ? await appendEmailMessage(tx, ticket, input)
      : await createTicketFromEmail(tx, { ...input, subject: parsed.subject, teamId: mailbox.teamId, followUpOf });
    // What follows any new request or customer reply: SLA targets and timers, auto-assignment.
    if (ticket) await onMessageAdded(ctx, tx, ticket, result.ticket, { fromCustomer: true, internal: false });
    else await onTicketCreated(ctx, tx, result.ticket);

    const header = parsed.messageId ?? `<inbound-${row.id}@frontline.invalid>`;
    // Replies, acknowledgement included, go where the sender asked (a shared inbox, an assistant).
    const replyAddress = parsed.replyTo?.address.toLowerCase();
    const copied = [...parsed.cc, ...parsed.to];
    const own = await ownAddresses(tx, [sender, ...(replyAddress ? [replyAddress] : []), ...copied.map((a) => a.address)]);
    const replyTo = replyAddress && replyAddress !== sender && !own.has(replyAddress) ? replyAddress : null;
    await tx.insert(emailMessages).values({
      messageId: result.messageId,
      ticketId: result.ticket.id,
      direction: 'in',
      headerMessageId: header,
      inboundId: row.id,
      fromAddress: sender,
      replyTo,
      toAddresses: parsed.to.map((a) => a.address),
      ccAddresses: parsed.cc.map((a) => a.address),
      subject: parsed.subject,
      html: linkInlineImages(parsed.html, result.files, stored),
      fullText: parsed.text,
      collapsed: parsed.collapsed,
      remoteImages: parsed.remoteImages,
      createdAt: now,
    });

    // Cc'd people stay on the conversation; our own addresses and the requester do not count.
    const participants = new Map(copied.filter((a) => a.address !== sender && !own.has(a.address)).map((a) => [a.address, a.name || null]));
    if (participants.size) {
      await tx
        .insert(ticketParticipants)
        .values([...participants].map(([email, name]) => ({ ticketId: result.ticket.id, email, name })))
        .onConflictDoNothing();
    }

    if (!ticket && (await mayAutoReply(ctx, tx, parsed, sender, locked, mailbox.autoReplies, own.has(sender)))) {
      await queueNotification(tx, { ticketId: result.ticket.id, kind: 'acknowledgement', to: replyTo ?? sender, inReplyTo: header, mailbox, at: now });
    }
    await finish('processed', result.ticket.id, result.messageId);
  });
}

async function mayAutoReply(
  ctx: AppContext,
  tx: Parameters<Parameters<AppContext['db']['transaction']>[0]>[0],
  parsed: ParsedEmail,
  sender: string,
  row: InboundRow,
  enabled: boolean,
  fromOwnMailbox: boolean,
) {
  if (!enabled || parsed.automated || parsed.bounce) return false;
  if (row.envelopeFrom === '') return false; // the null sender <> is reserved for bounces
  if (noReplyAddress.test(sender) || fromOwnMailbox) return false;
  const since = new Date(ctx.clock.now().getTime() - 3600_000);
  const [{ n }] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(outboundEmails)
    .where(and(eq(outboundEmails.toAddress, sender), eq(outboundEmails.kind, 'acknowledgement'), gt(outboundEmails.createdAt, since)));
  return n < AUTO_REPLIES_PER_HOUR;
}

/** Puts a failed message back in the queue; a person asked for it, so it gets a fresh set of attempts. */
export async function retryInbound(ctx: AppContext, id: string): Promise<boolean> {
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx.select().from(inboundEmails).where(eq(inboundEmails.id, id)).for('update');
    if (!row) return false;
    if (row.status !== 'failed') return true;
    const retries = row.retries + 1;
    await tx.update(inboundEmails).set({ status: 'pending', retries }).where(eq(inboundEmails.id, id));
    await enqueue(tx, INBOUND_JOB, { inboundId: id }, { runAt: ctx.clock.now(), dedupeKey: `${INBOUND_JOB}:${id}:${retries}`, maxAttempts: 3 });
    return true;
  });
}

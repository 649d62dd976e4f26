import crypto from 'node:crypto';
import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import nodemailer, { type Transporter } from 'nodemailer';
import type { DbOrTx } from '../../db/client.js';
import type { AppContext } from '../../platform/context.js';
import { recordTicketEvent, type EventScope, type TicketEventInput } from '../../platform/events.js';
import { enqueue, JobFailure } from '../../platform/jobs/jobs.js';
import type { Job } from '../../platform/jobs/runner.js';
import { customerEmails, customers } from '../customers/customers.table.js';
import { scopeOf } from '../tickets/tickets.service.js';
import { attachments, messages, tickets } from '../tickets/tickets.table.js';
import { users } from '../users/users.table.js';
import { SEND_JOB } from './delivery.queries.js';
import { publishDelivery } from './delivery.events.js';
import { emailMessages, inboundEmails, mailboxes, outboundEmails, ticketParticipants } from './email.table.js';
import { htmlDocument, renderNotification, type NotificationKind } from './templates/render.js';
import { baseSubject, threadIds } from './threading.js';
import { clip } from '../../platform/text.js';

export { SEND_JOB };
/**
 * Waits between sends, as a mail server spaces its retries: a relay down for minutes or hours still
 * gets the message, and after about a day (23 h 21 min) it is marked failed.
 */
export const SEND_RETRY_SECONDS = [60, 5 * 60, 15 * 60, 3600, 4 * 3600, 8 * 3600, 10 * 3600];
const SEND_ATTEMPTS = SEND_RETRY_SECONDS.length + 1;
/** Commands whose 5xx answer refuses this message or recipient for good (not AUTH: a relay login can be fixed). */
const REFUSING_COMMANDS = new Set(['MAIL FROM', 'RCPT TO', 'DATA']);

/** No relay is set up: nothing changes until a person sets one, so waiting a day for it would only hide that. */
class NoRelay extends Error {}

/** A permanent SMTP refusal (5xx to the envelope or the data, e.g. 550 unknown user), or no relay: trying again will not help. */
function refusedForGood(err: unknown): boolean {
  if (err instanceof NoRelay) return true;
  const e = err as { responseCode?: unknown; command?: unknown };
  return typeof e.responseCode === 'number' && e.responseCode >= 500 && e.responseCode < 600 && REFUSING_COMMANDS.has(String(e.command));
}
type MailboxRow = typeof mailboxes.$inferSelect;

const domainOf = (address: string) => address.split('@')[1] || 'frontline.invalid';
export const newMessageId = (address: string) => `<${crypto.randomUUID()}@${domainOf(address)}>`;

/** The mailbox a ticket's mail came in through, else the first (default) mailbox. */
async function mailboxOfTicket(tx: DbOrTx, ticketId: string): Promise<MailboxRow | null> {
  const [viaInbound] = await tx
    .select({ mailbox: mailboxes })
    .from(emailMessages)
    .innerJoin(inboundEmails, eq(inboundEmails.id, emailMessages.inboundId))
    .innerJoin(mailboxes, eq(mailboxes.id, inboundEmails.mailboxId))
    .where(eq(emailMessages.ticketId, ticketId))
    .orderBy(desc(emailMessages.createdAt))
    .limit(1);
  if (viaInbound) return viaInbound.mailbox;
  const [first] = await tx.select().from(mailboxes).orderBy(asc(mailboxes.createdAt)).limit(1);
  return first ?? null;
}

/**
 * Who a ticket's mail goes to. To: the requester, at the Reply-To of their last mail when they gave
 * one, else where they last wrote from, else their first known address; whoever else wrote last
 * does not take their place. Cc: the ticket's participants (people copied on its mail), never the
 * requester again.
 */
async function recipientsOf(tx: DbOrTx, ticketId: string, requesterId: string): Promise<{ to: string; cc: string[] } | null> {
  const own = (await tx.select({ email: customerEmails.email }).from(customerEmails).where(eq(customerEmails.customerId, requesterId)).orderBy(asc(customerEmails.createdAt))).map((r) => r.email);
  if (!own.length) return null;
  const [last] = await tx
    .select({ from: emailMessages.fromAddress, replyTo: emailMessages.replyTo })
    .from(emailMessages)
    .where(and(eq(emailMessages.ticketId, ticketId), eq(emailMessages.direction, 'in'), inArray(emailMessages.fromAddress, own)))
    .orderBy(desc(emailMessages.createdAt))
    .limit(1);
  const to = last?.replyTo ?? last?.from ?? own[0];
  const skip = new Set([to, ...own]);
  const cc = (await tx.select({ email: ticketParticipants.email }).from(ticketParticipants).where(eq(ticketParticipants.ticketId, ticketId)).orderBy(asc(ticketParticipants.createdAt)))
    .map((p) => p.email)
    .filter((e) => !skip.has(e));
  return { to, cc };
}

type Outgoing = {
  kind: 'reply' | NotificationKind;
  ticketId: string;
  messageId?: string | null;
  mailbox: MailboxRow | null;
  fromName: string;
  to: string;
  cc?: string[];
  subject: string;
  inReplyTo: string | null;
  references: string[];
  text: string;
  html: string;
  language: string;
  at: Date;
};

async function queue(tx: DbOrTx, o: Outgoing) {
  const fromAddress = o.mailbox?.address ?? 'support@localhost';
  const header = newMessageId(fromAddress);
  const [row] = await tx
    .insert(outboundEmails)
    .values({
      kind: o.kind,
      ticketId: o.ticketId,
      messageId: o.messageId ?? null,
      mailboxId: o.mailbox?.id ?? null,
      fromName: o.fromName,
      fromAddress,
      toAddress: o.to,
      ccAddresses: o.cc ?? [],
      subject: o.subject,
      headerMessageId: header,
      inReplyTo: o.inReplyTo,
      references: o.references,
      text: o.text,
      html: o.html,
      language: o.language,
      createdAt: o.at,
    })
    .returning();
  if (o.messageId) {
    await tx.insert(emailMessages).values({ messageId: o.messageId, ticketId: o.ticketId, direction: 'out', headerMessageId: header, fromAddress, toAddresses: [o.to], ccAddresses: o.cc ?? [], subject: o.subject, fullText: o.text, createdAt: o.at });
  }
  await enqueue(tx, SEND_JOB, { outboundId: row.id }, { runAt: o.at, dedupeKey: `${SEND_JOB}:${row.id}`, maxAttempts: SEND_ATTEMPTS });
  return row;
}

/** An acknowledgement or "resolved" notice, in the customer's language, threaded under their mail. */
export async function queueNotification(
  tx: DbOrTx,
  n: { ticketId: string; kind: NotificationKind; to?: string; inReplyTo?: string | null; references?: string[]; mailbox?: MailboxRow | null; at: Date },
) {
  const [t] = await tx.select({ ticket: tickets, customer: customers }).from(tickets).innerJoin(customers, eq(customers.id, tickets.requesterId)).where(eq(tickets.id, n.ticketId));
  if (!t) return null;
  const to = n.to ?? (await recipientsOf(tx, t.ticket.id, t.customer.id))?.to;
  if (!to) return null;
  const mailbox = n.mailbox ?? (await mailboxOfTicket(tx, t.ticket.id));
  const thread = await threadIds(tx, t.ticket.id);
  const rendered = renderNotification(n.kind, t.customer.language, {
    number: t.ticket.number,
    subject: baseSubject(t.ticket.subject),
    name: t.customer.name,
    hours: mailbox?.responseHours ?? 4,
  });
  return queue(tx, {
    kind: n.kind,
    ticketId: t.ticket.id,
    mailbox,
    fromName: mailbox?.name ?? 'Support',
    to,
    subject: rendered.subject,
    inReplyTo: n.inReplyTo ?? thread.lastInbound,
    references: n.references ?? thread.references,
    text: rendered.text,
    html: rendered.html,
    language: t.customer.language,
    at: n.at,
  });
}

/** An agent's public reply on a ticket with mail: into the outbox, in the transaction that saved it. */
export async function queueReply(tx: DbOrTx, ticketId: string, messageId: string, at: Date) {
  const [row] = await tx
    .select({ message: messages, ticket: tickets, customer: customers, agentName: users.name, signature: users.signature })
    .from(messages)
    .innerJoin(tickets, eq(tickets.id, messages.ticketId))
    .innerJoin(customers, eq(customers.id, tickets.requesterId))
    .leftJoin(users, eq(users.id, messages.authorUserId))
    .where(eq(messages.id, messageId));
  if (!row || row.message.internal || row.message.authorKind !== 'agent') return null;
  const recipients = await recipientsOf(tx, ticketId, row.customer.id);
  if (!recipients) return null;
  const { to, cc } = recipients;
  const mailbox = await mailboxOfTicket(tx, ticketId);
  const thread = await threadIds(tx, ticketId);
  const signature = row.signature?.trim();
  const text = signature ? `${row.message.body}\n\n-- \n${signature}\n` : `${row.message.body}\n`;
  const paragraphs = row.message.body.split(/\n{2,}/);
  return queue(tx, {
    kind: 'reply',
    ticketId,
    messageId,
    mailbox,
    fromName: row.agentName ?? mailbox?.name ?? 'Support',
    to,
    cc,
    subject: `Re: ${baseSubject(row.ticket.subject)} [#${row.ticket.number}]`,
    inReplyTo: thread.lastInbound,
    references: thread.references,
    text,
    html: htmlDocument(row.customer.language, signature ? [...paragraphs, `-- \n${signature}`] : paragraphs),
    language: row.customer.language,
    at,
  });
}

/**
 * Runs inside the transaction that records a ticket event: an agent's public reply on an email
 * ticket goes to the outbox, and a ticket marked solved tells the customer, both or neither.
 */
export async function emailEventHook(tx: DbOrTx, scope: EventScope, e: TicketEventInput) {
  const relevant = (e.type === 'message.added' && e.data?.authorKind === 'agent' && !e.data.internal) || (e.type === 'ticket.status_changed' && e.data?.to === 'solved');
  if (!relevant) return;
  // Only conversations that travel by mail: a ticket with mail in or out (not, say, demo data
  // or a ticket merely labelled "email" by hand) gets mail from the desk, whatever its channel:
  // mail merged into a ticket opened by phone or in the portal still gets its answers by mail.
  const [mail] = await tx.select({ id: emailMessages.messageId }).from(emailMessages).where(eq(emailMessages.ticketId, scope.ticketId)).limit(1);
  if (!mail) return;
  if (e.type === 'message.added' && e.data?.authorKind === 'agent' && !e.data.internal && typeof e.data.messageId === 'string') {
    await queueReply(tx, scope.ticketId, e.data.messageId, e.at);
  } else if (e.type === 'ticket.status_changed' && e.data?.to === 'solved') {
    await queueNotification(tx, { ticketId: scope.ticketId, kind: 'resolved', at: e.at });
  }
}

const transports = new Map<string, Transporter>();
function transportFor(url: string): Transporter {
  let t = transports.get(url);
  if (!t) {
    t = nodemailer.createTransport(url);
    transports.set(url, t);
  }
  return t;
}

export function closeTransports() {
  for (const t of transports.values()) t.close();
  transports.clear();
}

/** Job: send one outbox row. Failures retry on SEND_RETRY_SECONDS; the last one, or a permanent refusal, is recorded on the ticket. */
export async function sendOutbound(ctx: AppContext, outboundId: string, job: Pick<Job, 'attempts' | 'maxAttempts'>) {
  const [row] = await ctx.db
    .select({ out: outboundEmails, smtpUrl: mailboxes.smtpUrl })
    .from(outboundEmails)
    .leftJoin(mailboxes, eq(mailboxes.id, outboundEmails.mailboxId))
    .where(eq(outboundEmails.id, outboundId));
  if (!row || row.out.status === 'sent' || row.out.status === 'bounced') return;
  const out = row.out;
  try {
    const url = row.smtpUrl ?? ctx.config.smtpUrl;
    if (!url) throw new NoRelay('no outbound SMTP relay: set FRONTLINE_SMTP_URL or the mailbox SMTP URL');
    const files = out.messageId ? await ctx.db.select().from(attachments).where(eq(attachments.messageId, out.messageId)) : [];
    await transportFor(url).sendMail({
      from: { name: out.fromName ?? '', address: out.fromAddress },
      to: out.toAddress,
      cc: out.ccAddresses.length ? out.ccAddresses : undefined,
      subject: out.subject,
      messageId: out.headerMessageId,
      inReplyTo: out.inReplyTo ?? undefined,
      references: out.references.length ? out.references : undefined,
      text: out.text,
      html: out.html ?? undefined,
      headers: out.kind === 'reply' ? {} : { 'Auto-Submitted': 'auto-replied', 'X-Auto-Response-Suppress': 'All' },
      attachments: await Promise.all(files.map(async (f) => ({ filename: f.filename, contentType: f.contentType, content: await ctx.storage.get(f.storageKey) }))),
    });
    await ctx.db.transaction(async (tx) => {
      await tx.update(outboundEmails).set({ status: 'sent', sentAt: ctx.clock.now(), attempts: out.attempts + 1, lastError: null }).where(eq(outboundEmails.id, out.id));
      await publishDelivery(tx, { ticketId: out.ticketId, messageId: out.messageId, outboundId: out.id, state: 'sent', at: ctx.clock.now() });
    });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const final = job.attempts >= job.maxAttempts || refusedForGood(err);
    await ctx.db.transaction(async (tx) => {
      await tx.update(outboundEmails).set({ status: final ? 'failed' : 'pending', attempts: out.attempts + 1, lastError: clip(message, 2000) }).where(eq(outboundEmails.id, out.id));
      if (final) {
        const [t] = await tx.select().from(tickets).where(eq(tickets.id, out.ticketId));
        if (t) await recordTicketEvent(tx, scopeOf(t), { type: 'email.send_failed', internal: true, at: ctx.clock.now(), data: { outboundId: out.id, messageId: out.messageId, to: out.toAddress, error: clip(message, 500) } });
      }
      await publishDelivery(tx, { ticketId: out.ticketId, messageId: out.messageId, outboundId: out.id, state: final ? 'failed' : 'retrying', at: ctx.clock.now() });
    });
    const wait = SEND_RETRY_SECONDS[Math.min(job.attempts, SEND_RETRY_SECONDS.length) - 1];
    throw new JobFailure(message, { final, retryInSeconds: wait });
  }
}

/**
 * Sends a failed or bounced message again; false when it is not one (still pending means a send is
 * running or retrying on its own, and a second job would deliver it twice).
 */
export async function retryOutbound(ctx: AppContext, outboundId: string): Promise<boolean> {
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .update(outboundEmails)
      .set({ status: 'pending' })
      .where(and(eq(outboundEmails.id, outboundId), inArray(outboundEmails.status, ['failed', 'bounced'])))
      .returning();
    if (!row) return false;
    await enqueue(tx, SEND_JOB, { outboundId }, { runAt: ctx.clock.now(), dedupeKey: `${SEND_JOB}:${outboundId}:${row.attempts}`, maxAttempts: SEND_ATTEMPTS });
    await publishDelivery(tx, { ticketId: row.ticketId, messageId: row.messageId, outboundId, state: 'retrying', at: ctx.clock.now() });
    return true;
  });
}

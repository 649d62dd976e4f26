import { and, asc, desc, eq, sql } from 'drizzle-orm';
import type { FastifyError, FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../platform/auth/auth.hook.js';
import type { AppContext } from '../../platform/context.js';
import { AppError, badRequest, conflict, notFound } from '../../platform/errors.js';
import { decodeCursor, encodeCursor } from '../../platform/cursor.js';
import { canSeeTicket } from '../tickets/tickets.policy.js';
import { messages, tickets } from '../tickets/tickets.table.js';
import { emailMessages, inboundEmails, outboundEmails, ticketParticipants } from './email.table.js';
import { idParams, inboundListQuery, mailboxInput, mailboxPatch, ticketParams } from './email.schema.js';
import { queueRefetch } from './held-mail.js';
import { retryInbound } from './inbound-process.js';
import { storeInbound } from './inbound-store.js';
import { allMailboxes, createMailbox, presentMailbox, updateMailbox } from './mailboxes.service.js';
import { retryOutbound } from './outbound.js';
import { nextAttempts } from './delivery.queries.js';
import { accepted, inboundList, mailbox, mailboxList, outbound, retrying, ticketMail } from './email.responses.js';
import { fileAnswer } from '../../platform/openapi.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const rawTypes = ['message/rfc822', 'application/octet-stream', 'text/plain'];

function presentInbound(r: typeof inboundEmails.$inferSelect) {
  return {
    id: r.id,
    source: r.source,
    status: r.status,
    size: r.size,
    subject: r.subject,
    from: r.fromAddress,
    messageIdHeader: r.headerMessageId,
    attempts: r.attempts,
    retries: r.retries,
    error: r.error,
    headersOnly: r.headersOnly,
    replacedBy: r.replacedBy,
    ticketId: r.ticketId,
    messageId: r.messageId,
    receivedAt: r.receivedAt.toISOString(),
    processedAt: iso(r.processedAt),
  };
}

/** nextAttemptAt: when a send that failed is tried again on its own (null once sent, failed, or not yet tried). */
function presentOutbound(o: typeof outboundEmails.$inferSelect, nextAttemptAt: Date | null = null) {
  return {
    id: o.id,
    kind: o.kind,
    messageId: o.messageId,
    to: o.toAddress,
    cc: o.ccAddresses,
    subject: o.subject,
    messageIdHeader: o.headerMessageId,
    inReplyTo: o.inReplyTo,
    status: o.status,
    attempts: o.attempts,
    lastError: o.lastError,
    nextAttemptAt: o.status === 'pending' && o.attempts > 0 ? iso(nextAttemptAt) : null,
    bounceReason: o.bounceReason,
    sentAt: iso(o.sentAt),
    createdAt: o.createdAt.toISOString(),
  };
}

export function emailRoutes(ctx: AppContext) {
  return async (app: FastifyInstance) => {
    // Raw MIME arrives as bytes; only this module's routes parse it so.
    // Past the limit Fastify stops reading (at once when Content-Length says so) and answers 413.
    const limit = ctx.config.maxMessageBytes;
    app.addContentTypeParser(rawTypes, { parseAs: 'buffer', bodyLimit: limit }, (_req, body, done) => done(null, body));
    const r = app.withTypeProvider<ZodTypeProvider>();
    const tags = ['email'];

    r.get('/email/mailboxes', { config: { capability: 'email.manage', responses: { 200: mailboxList } }, schema: { tags, summary: 'Mailboxes and how their mail arrives and leaves' } }, async () => ({
      data: (await allMailboxes(ctx.db)).map(presentMailbox),
    }));
    r.post('/email/mailboxes', { config: { capability: 'email.manage', responses: { 201: mailbox } }, schema: { tags, summary: 'Add a mailbox', body: mailboxInput } }, async (req, reply) => {
      reply.status(201);
      return presentMailbox(await createMailbox(ctx, req.body));
    });
    r.patch(
      '/email/mailboxes/:id',
      { config: { capability: 'email.manage', responses: { 200: mailbox } }, schema: { tags, summary: 'Change a mailbox', params: idParams, body: mailboxPatch } },
      async (req) => presentMailbox(await updateMailbox(ctx, req.params.id, req.body)),
    );

    r.post(
      '/email/inbound',
      {
        config: { capability: 'email.ingest', rawBody: true, responses: { 202: accepted } },
        schema: {
          tags,
          summary: 'Accept one raw MIME message (Content-Type: message/rfc822); answered 202 once it is stored',
          querystring: z.strictObject({ mailbox: z.string().max(320).optional() }),
        },
        // The same words as SMTP and IMAP use for a message over FRONTLINE_MAX_MESSAGE_MB.
        errorHandler: (err: FastifyError) => {
          if (err.code !== 'FST_ERR_CTP_BODY_TOO_LARGE') throw err;
          throw new AppError(413, 'message_too_large', `body: the message is larger than the limit of ${limit / (1024 * 1024)} MB (FRONTLINE_MAX_MESSAGE_MB)`, {
            field: 'body',
            limitBytes: limit,
          });
        },
      },
      async (req, reply) => {
        const raw = req.body;
        if (!Buffer.isBuffer(raw) || raw.length === 0) throw badRequest('invalid_message', 'body: send the raw message as message/rfc822', { field: 'body' });
        if (!/^[\x21-\x39\x3b-\x7e]+:/.test(raw.subarray(0, 200).toString('latin1'))) {
          throw badRequest('invalid_message', 'body: does not start with a mail header', { field: 'body' });
        }
        let mailboxId: string | null = null;
        if (req.query.mailbox) {
          const box = (await allMailboxes(ctx.db)).find((m) => m.address.toLowerCase() === req.query.mailbox!.toLowerCase());
          if (!box) throw badRequest('invalid_mailbox', 'mailbox: no mailbox with this address', { field: 'mailbox' });
          mailboxId = box.id;
        }
        const stored = await storeInbound(ctx, { raw, source: 'http', mailboxId });
        reply.status(202);
        return { id: stored.id, duplicate: stored.duplicate };
      },
    );

    r.get('/email/inbound', { config: { capability: 'email.manage', responses: { 200: inboundList } }, schema: { tags, summary: 'Received messages, newest first, a page at a time, e.g. ?status=failed', querystring: inboundListQuery } }, async (req) => {
      const { status, limit } = req.query;
      const after = req.query.cursor ? decodeCursor(req.query.cursor, 'inbound', 'timestamp') : undefined;
      const rows = await ctx.db
        .select({ row: inboundEmails, at: sql<string>`${inboundEmails.receivedAt}::text` })
        .from(inboundEmails)
        .where(and(status ? eq(inboundEmails.status, status) : undefined, after ? sql`(${inboundEmails.receivedAt}, ${inboundEmails.id}) < (${after.value}::timestamptz, ${after.id}::uuid)` : undefined))
        .orderBy(desc(inboundEmails.receivedAt), desc(inboundEmails.id))
        .limit(limit + 1);
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return { data: page.map((r) => presentInbound(r.row)), nextCursor: rows.length > limit && last ? encodeCursor('inbound', last.at, last.row.id) : null };
    });
    r.post(
      '/email/inbound/:id/retry',
      { config: { capability: 'email.manage', responses: { 202: retrying } }, schema: { tags, summary: 'Process a failed message again (held mail over the size limit: fetch it now)', params: idParams } },
      async (req, reply) => {
        const found = await retryInbound(ctx, req.params.id);
        if (!found) throw notFound('Inbound message');
        // Processed or waiting mail has nothing to retry: saying 202 would claim work that was not queued.
        if (found.status !== 'failed') throw conflict('inbound_not_failed', `This message is ${found.status}; only a failed message can be processed again`);
        // Only its headers were kept: fetched from the mail server if the limit allows it now, refused if not.
        if (found.headersOnly) await queueRefetch(ctx, req.params.id);
        reply.status(202);
        return { id: req.params.id, status: 'pending' as const };
      },
    );
    r.get('/email/inbound/:id/raw', { config: { capability: 'email.manage', responses: { 200: fileAnswer('The raw message', 'message/rfc822') } }, schema: { tags, summary: 'The message exactly as received', params: idParams } }, async (req, reply) => {
      const [row] = await ctx.db.select().from(inboundEmails).where(eq(inboundEmails.id, req.params.id));
      if (!row) throw notFound('Inbound message');
      // The sender's bytes: a download, never a page of ours.
      reply.type('message/rfc822').header('content-disposition', `attachment; filename="message-${row.id}.eml"`).header('x-content-type-options', 'nosniff');
      return ctx.storage.get(row.storageKey);
    });

    r.get(
      '/email/tickets/:ticketId',
      { config: { capability: 'tickets.timeline', responses: { 200: ticketMail } }, schema: { tags, summary: "A ticket's mail: sanitised HTML, full text, delivery of each message out", params: ticketParams } },
      async (req) => {
        const [ticket] = await ctx.db.select().from(tickets).where(eq(tickets.id, req.params.ticketId));
        if (!ticket || !canSeeTicket(actorOf(req), ticket)) throw notFound('Ticket');
        const mail = await ctx.db
          .select({ e: emailMessages })
          .from(emailMessages)
          .innerJoin(messages, eq(messages.id, emailMessages.messageId))
          .where(eq(emailMessages.ticketId, ticket.id))
          .orderBy(asc(emailMessages.createdAt));
        const outbound = await ctx.db.select().from(outboundEmails).where(eq(outboundEmails.ticketId, ticket.id)).orderBy(asc(outboundEmails.createdAt));
        const next = await nextAttempts(ctx.db, outbound);
        const participants = await ctx.db.select().from(ticketParticipants).where(eq(ticketParticipants.ticketId, ticket.id));
        return {
          participants: participants.map((p) => ({ email: p.email, name: p.name })),
          messages: mail.map(({ e }) => {
            const delivery = outbound.find((o) => o.messageId === e.messageId);
            return {
              messageId: e.messageId,
              direction: e.direction,
              messageIdHeader: e.headerMessageId,
              from: e.fromAddress,
              to: e.toAddresses,
              cc: e.ccAddresses,
              subject: e.subject,
              html: e.html,
              fullText: e.fullText,
              collapsed: e.collapsed,
              remoteImages: e.remoteImages,
              delivery: delivery ? presentOutbound(delivery, next.get(delivery.id)) : null,
            };
          }),
          notifications: outbound.filter((o) => o.kind !== 'reply').map((o) => presentOutbound(o, next.get(o.id))),
        };
      },
    );

    r.post(
      '/email/outbound/:id/retry',
      { config: { capability: 'tickets.reply', responses: { 200: outbound, 202: outbound } }, schema: { tags, summary: 'Send a failed message again (200 when it was already sent)', params: idParams } },
      async (req, reply) => {
        if (actorOf(req).role === 'customer') throw new AppError(403, 'forbidden', 'Staff only');
        const [row] = await ctx.db
          .select({ out: outboundEmails, ticket: tickets })
          .from(outboundEmails)
          .innerJoin(tickets, eq(tickets.id, outboundEmails.ticketId))
          .where(and(eq(outboundEmails.id, req.params.id)));
        if (!row || !canSeeTicket(actorOf(req), row.ticket)) throw notFound('Outbound message');
        if (row.out.status === 'sent') return presentOutbound(row.out);
        if (!(await retryOutbound(ctx, row.out.id))) throw conflict('send_pending', 'This message is being sent or will be tried again on its own');
        reply.status(202);
        return presentOutbound({ ...row.out, status: 'pending' });
      },
    );
  };
}

import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../platform/auth/auth.hook.js';
import type { AppContext } from '../../platform/context.js';
import { badRequest } from '../../platform/errors.js';
import { roleHas } from '../../platform/permissions.js';
import { customerContext } from '../customers/customer-context.service.js';
import { ticketViewCounts } from './ticket-views.queries.js';
import { readAttachment } from './attachments.service.js';
import { addMessage } from './messages.service.js';
import { listTickets } from './ticket-list.js';
import { getTicketDetail, ticketTimeline } from './tickets.queries.js';
import { addedMessage, ticketCounts, ticketDetail, ticketPage, ticketTimeline as timelineAnswer } from './tickets.responses.js';
import { fileAnswer } from '../../platform/openapi.js';
import { addMessageBody, createTicketBody, listTicketsQuery, mimeType, ticketIdParams, timelineQuery, updateTicketBody } from './tickets.schema.js';
import { createTicket, mergeTicket, updateTicket } from './tickets.service.js';

const tags = ['tickets'];

function ifMatchVersion(header: string | undefined): number | undefined {
  // `*` asks only that the ticket exists, which the update checks anyway (RFC 9110).
  if (!header || header.trim() === '*') return undefined;
  const v = Number(header.replace(/^W\//, '').replace(/"/g, ''));
  if (!Number.isInteger(v) || v < 1) throw badRequest('invalid_if_match', 'If-Match: expected the ticket version, e.g. "3"', { field: 'If-Match' });
  return v;
}

export function ticketRoutes(ctx: AppContext) {
  return async (app: FastifyInstance) => {
    const r = app.withTypeProvider<ZodTypeProvider>();

    r.get('/tickets', { config: { capability: 'tickets.read', responses: { 200: ticketPage } }, schema: { tags, summary: 'List and search tickets', querystring: listTicketsQuery } }, async (req) =>
      listTickets(ctx, actorOf(req), req.query),
    );

    r.post(
      '/tickets',
      { config: { capability: 'tickets.create', keepsCredentials: true, responses: { 201: ticketDetail } }, schema: { tags, summary: 'Create a ticket with its first message', body: createTicketBody } },
      async (req, reply) => {
        return reply.status(201).send(await createTicket(ctx, actorOf(req), req.body));
      },
    );

    r.get(
      '/tickets/counts',
      { config: { capability: 'tickets.read', responses: { 200: ticketCounts } }, schema: { tags, summary: "Counts for the agent's queues: mine, unassigned, open, all, solved recently, at risk, breached, per team" } },
      async (req) => ticketViewCounts(ctx, actorOf(req)),
    );

    r.get(
      '/tickets/:id',
      {
        config: { capability: 'tickets.read', responses: { 200: ticketDetail } },
        schema: {
          tags,
          summary: 'A ticket with its messages; include=context adds the customer side panel (staff) in the same round trip',
          params: ticketIdParams,
          querystring: z.strictObject({ include: z.enum(['context']).optional() }),
        },
      },
      async (req, reply) => {
        const actor = actorOf(req);
        const ticket = await getTicketDetail(ctx, actor, req.params.id);
        reply.header('etag', `"${ticket.version}"`);
        if (req.query.include === 'context' && roleHas(actor.role, 'customers.read')) {
          return { ...ticket, context: await customerContext(ctx, actor, ticket.requester.id, ticket.id) };
        }
        return ticket;
      },
    );

    r.patch(
      '/tickets/:id',
      {
        config: { capability: 'tickets.update', keepsCredentials: true, responses: { 200: ticketDetail } },
        schema: {
          tags,
          summary: 'Change status, priority, assignee, team, category or tags; send version or If-Match to refuse stale writes',
          params: ticketIdParams,
          body: updateTicketBody,
          headers: z.object({ 'if-match': z.string().max(40).optional() }),
        },
      },
      async (req, reply) => {
        const actor = actorOf(req);
        await updateTicket(ctx, actor, req.params.id, req.body, ifMatchVersion(req.headers['if-match']));
        const ticket = await getTicketDetail(ctx, actor, req.params.id, { justWritten: true });
        reply.header('etag', `"${ticket.version}"`);
        return ticket;
      },
    );

    r.post(
      '/tickets/:id/messages',
      {
        config: { capability: 'tickets.reply', keepsCredentials: true, responses: { 201: addedMessage } },
        schema: { tags, summary: 'Add a public reply, or an internal note with internal: true', params: ticketIdParams, body: addMessageBody },
      },
      async (req, reply) => {
        const actor = actorOf(req);
        const messageId = await addMessage(ctx, actor, req.params.id, req.body);
        const ticket = await getTicketDetail(ctx, actor, req.params.id);
        return reply.status(201).send({ message: ticket.messages.find((m) => m.id === messageId), ticket: { ...ticket, messages: undefined } });
      },
    );

    r.get(
      '/tickets/:id/timeline',
      { config: { capability: 'tickets.timeline', responses: { 200: timelineAnswer } }, schema: { tags, summary: "The ticket's history of changes, oldest first, a page at a time", params: ticketIdParams, querystring: timelineQuery } },
      async (req) => ticketTimeline(ctx, actorOf(req), req.params.id, req.query),
    );

    r.post(
      '/tickets/:id/merge',
      {
        config: { capability: 'tickets.merge', keepsCredentials: true, responses: { 200: ticketDetail } },
        schema: { tags, summary: 'Merge this ticket into another; answers the ticket it was merged into', params: ticketIdParams, body: z.object({ targetId: z.uuid() }).strict() },
      },
      async (req) => {
        const actor = actorOf(req);
        await mergeTicket(ctx, actor, req.params.id, req.body.targetId);
        return getTicketDetail(ctx, actor, req.body.targetId);
      },
    );

    r.get(
      '/attachments/:id',
      { config: { capability: 'tickets.read', responses: { 200: fileAnswer("The file, with its own type (application/octet-stream when that was not a valid type)") } }, schema: { tags, summary: 'Download an attachment', params: ticketIdParams } },
      async (req, reply) => {
        const { file, data } = await readAttachment(ctx, actorOf(req), req.params.id);
        // Served as a download, never rendered in our origin. A type stored before it was checked goes as bytes.
        return reply
          .header('content-type', mimeType.test(file.contentType) ? file.contentType : 'application/octet-stream')
          .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.filename)}`)
          .header('x-content-type-options', 'nosniff')
          .send(data);
      },
    );
  };
}

import { and, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../platform/auth/auth.hook.js';
import type { AppContext } from '../../platform/context.js';
import { notFound } from '../../platform/errors.js';
import { instantInput } from '../../platform/instant.js';
import { visibleTickets } from '../tickets/tickets.policy.js';
import { tickets } from '../tickets/tickets.table.js';
import { agentReport as agentReportAnswer, escalationCreated, escalationList, followUp, followUpList } from './escalation.responses.js';
import { escalateTicket, escalationsOf } from './escalations.service.js';
import { createFollowUp, listFollowUps } from './follow-ups.service.js';
import { agentReport } from './reports.queries.js';

const idParams = z.object({ id: z.uuid() });
const text = (max: number) => z.string().trim().min(1).max(max);
const escalateBody = z
  .object({
    to: z.enum(['tier2', 'supervisor']).optional(),
    reason: text(2000),
    summary: z.object({ tried: text(10_000), customerAnswers: text(10_000) }).strict().optional(),
    teamId: z.uuid().optional(),
    userId: z.uuid().optional(),
  })
  .strict();
const followUpBody = z.object({ dueAt: instantInput(), note: text(2000) }).strict();
const period = z.strictObject({ from: instantInput().optional(), to: instantInput().optional() });

export function escalationRoutes(ctx: AppContext) {
  return async (app: FastifyInstance) => {
    const r = app.withTypeProvider<ZodTypeProvider>();
    const tags = ['escalation'];
    r.post(
      '/tickets/:id/escalations',
      {
        config: { capability: 'tickets.escalate', responses: { 201: escalationCreated } },
        schema: {
          tags,
          summary: "Escalate to level 2 or a supervisor with a reason and handoff summary; a customer asks for escalation of their own ticket with a reason",
          params: idParams,
          body: escalateBody,
        },
      },
      async (req, reply) => {
        const actor = actorOf(req);
        const id = await escalateTicket(ctx, actor, req.params.id, req.body);
        const [view] = (await escalationsOf(ctx.db, [req.params.id])).filter((e) => e.view.id === id);
        return reply.status(201).send(actor.role === 'customer' ? { id, to: view.view.to, reason: view.view.reason, createdAt: view.view.createdAt } : view.view);
      },
    );
    r.get(
      '/tickets/:id/escalations',
      { config: { capability: 'tickets.timeline', responses: { 200: escalationList } }, schema: { tags, summary: "A ticket's escalations, newest first", params: idParams } },
      async (req) => {
        const [t] = await ctx.db.select({ id: tickets.id }).from(tickets).where(and(eq(tickets.id, req.params.id), visibleTickets(actorOf(req))));
        if (!t) throw notFound('Ticket');
        return { data: (await escalationsOf(ctx.db, [t.id])).map((e) => e.view) };
      },
    );
    r.post(
      '/tickets/:id/follow-ups',
      { config: { capability: 'tickets.note', responses: { 201: followUp } }, schema: { tags, summary: 'Promise to get back to the customer by a time', params: idParams, body: followUpBody } },
      async (req, reply) => reply.status(201).send(await createFollowUp(ctx, actorOf(req), req.params.id, req.body)),
    );
    r.get(
      '/tickets/:id/follow-ups',
      { config: { capability: 'tickets.timeline', responses: { 200: followUpList } }, schema: { tags, summary: "A ticket's follow-up promises", params: idParams } },
      async (req) => listFollowUps(ctx, actorOf(req), req.params.id),
    );
    r.get(
      '/reports/agents',
      { config: { capability: 'reports.read', responses: { 200: agentReportAnswer } }, schema: { tags: ['reports'], summary: 'Escalations per agent and team; first-contact resolution per agent', querystring: period } },
      async (req) => agentReport(ctx, req.query),
    );
  };
}

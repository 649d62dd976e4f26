import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../platform/context.js';
import { pageLimit } from '../../platform/cursor.js';
import { ticketEventTypes } from '../../platform/events.js';
import { noContent } from '../../platform/openapi.js';
import { createdWebhook, deliveryList, webhookList } from './webhooks.responses.js';
import { createWebhook, deleteWebhook, listDeliveries, listWebhooks } from './webhooks.service.js';

const idParams = z.object({ id: z.uuid() });

export function webhookRoutes(ctx: AppContext) {
  return async (app: FastifyInstance) => {
    const r = app.withTypeProvider<ZodTypeProvider>();
    const tags = ['webhooks'];
    r.get('/webhooks', { config: { capability: 'webhooks.manage', responses: { 200: webhookList } }, schema: { tags, summary: 'Registered webhooks' } }, async () => listWebhooks(ctx));
    r.post(
      '/webhooks',
      {
        config: { capability: 'webhooks.manage', responses: { 201: createdWebhook } },
        schema: {
          tags,
          summary: 'Register a webhook; the signing secret is returned once',
          body: z
            .object({ url: z.url({ protocol: /^https?$/ }).max(2000), events: z.array(z.enum(ticketEventTypes)).max(100).default([]) })
            .strict(),
        },
      },
      async (req, reply) => reply.status(201).send(await createWebhook(ctx, req.body)),
    );
    r.delete('/webhooks/:id', { config: { capability: 'webhooks.manage', responses: { 204: noContent } }, schema: { tags, summary: 'Remove a webhook', params: idParams } }, async (req, reply) => {
      await deleteWebhook(ctx, req.params.id);
      return reply.status(204).send();
    });
    r.get(
      '/webhooks/:id/deliveries',
      { config: { capability: 'webhooks.manage', responses: { 200: deliveryList } }, schema: { tags, summary: 'Delivery attempts, newest first, a page at a time', params: idParams, querystring: z.strictObject({ limit: pageLimit(), cursor: z.string().max(500).optional() }) } },
      async (req) => listDeliveries(ctx, req.params.id, req.query),
    );
  };
}

import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../platform/auth/auth.hook.js';
import type { AppContext } from '../../platform/context.js';
import { dispatchRoutes } from '../dispatch/dispatch.routes.js';
import { escalationRoutes } from '../escalation/escalation.routes.js';
import { listNotifications, markNotificationsRead } from './notifications.service.js';
import { slaSettingsRoutes } from './sla-settings.routes.js';
import { notificationList, notificationsRead } from './sla.responses.js';
import { pageLimit } from '../../platform/cursor.js';

/** The API of keeping promises: SLA settings and views, notifications, dispatch rules, escalations. */
export function promiseRoutes(ctx: AppContext) {
  return async (app: FastifyInstance) => {
    await app.register(slaSettingsRoutes(ctx));
    await app.register(dispatchRoutes(ctx));
    await app.register(escalationRoutes(ctx));
    const r = app.withTypeProvider<ZodTypeProvider>();
    const tags = ['notifications'];
    r.get(
      '/notifications',
      {
        config: { capability: 'notifications.read', responses: { 200: notificationList } },
        schema: { tags, summary: 'My notifications: SLA warnings and breaches, follow-up reminders, escalation requests', querystring: z.strictObject({ unread: z.stringbool().optional(), limit: pageLimit(), cursor: z.string().max(500).optional() }) },
      },
      async (req) => listNotifications(ctx, actorOf(req), req.query),
    );
    r.post(
      '/notifications/read',
      { config: { capability: 'notifications.read', responses: { 200: notificationsRead } }, schema: { tags, summary: 'Mark notifications read', body: z.object({ ids: z.array(z.uuid()).max(500) }).strict() } },
      async (req) => ({ updated: await markNotificationsRead(ctx, actorOf(req), req.body.ids) }),
    );
  };
}

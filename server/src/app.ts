import Fastify, { type FastifyInstance, type RouteOptions } from 'fastify';
import cookie from '@fastify/cookie';
import websocket from '@fastify/websocket';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { sql } from 'drizzle-orm';
import { authRoutes } from './platform/auth/auth.routes.js';
import { registerAuthHook } from './platform/auth/auth.hook.js';
import { registerTextGuard } from './platform/text-guard.js';
import { registerSettingsChangeHook } from './platform/settings-cache.js';
import type { AppContext } from './platform/context.js';
import { registerErrorHandler, routerError } from './platform/errors.js';
import { documentRoute, registerAnswerCheck } from './platform/openapi.js';
import type { RealtimeHub } from './platform/realtime/realtime.js';
import { customerRoutes } from './modules/customers/customers.routes.js';
import { jobRoutes } from './modules/jobs/jobs.routes.js';
import { teamRoutes } from './modules/teams/teams.routes.js';
import { ticketRoutes } from './modules/tickets/tickets.routes.js';
import { userRoutes } from './modules/users/users.routes.js';
import { webhookRoutes } from './modules/webhooks/webhooks.routes.js';
import { promiseRoutes } from './modules/sla/sla.routes.js';
import { emailRoutes } from './modules/email/email.routes.js';
import { limits } from '../../common/enums.js';
import { registerNotFound } from './platform/method-not-allowed.js';
import { registerUnexpectedInputGuard } from './platform/unexpected-input.js';

export type AppOptions = {
  logger?: boolean | object;
  realtime?: RealtimeHub;
  /** Tests: hold every answer to its route's documentation, collecting mismatches here. */
  answerFaults?: string[];
};

const declaredRoutes = new WeakMap<FastifyInstance, RouteOptions[]>();
/** Every route the app declared, so a test can prove each one names its capability. */
export const routesOf = (app: FastifyInstance): readonly RouteOptions[] => declaredRoutes.get(app) ?? [];

const HEALTH_TIMEOUT_MS = 2000;

async function databaseAnswers(ctx: AppContext, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
  try {
    return await Promise.race([ctx.db.execute(sql`select 1`).then(() => true), late]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/** Builds the HTTP app from its modules; it does not listen, so tests use app.inject. */
export async function buildApp(ctx: AppContext, opts: AppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: opts.logger ?? false,
    // Attachments travel base64-encoded in JSON: room for a few 25 MB files.
    bodyLimit: Math.ceil(limits.attachmentBytes * 1.4) * 3,
    trustProxy: ctx.config.trustProxy,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    // Errors the router raises before any route runs (a path parameter over 100 characters, bad
    // percent-encoding) get the API's error shape rather than Fastify's own.
    frameworkErrors: routerError,
  });
  const routes: RouteOptions[] = [];
  declaredRoutes.set(app, routes);
  app.addHook('onRoute', (route) => {
    routes.push(route);
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandler(app);
  registerNotFound(app, routes);

  await app.register(cookie);
  await app.register(websocket, { options: { maxPayload: 64 * 1024 } });
  await app.register(swagger, {
    openapi: {
      info: { title: 'Frontline API', version: '1.0.0', description: 'The help desk API: everything the app does.' },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'A session token from /auth/login or a personal API token' },
          session: { type: 'apiKey', in: 'cookie', name: 'frontline_session' },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
    transform: documentRoute,
  });
  registerAuthHook(app, ctx);
  registerTextGuard(app);
  // Every answer: no type sniffing, no framing by other sites, no full addresses leaked to other sites.
  app.addHook('onSend', async (_req, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff').header('x-frame-options', 'DENY').header('referrer-policy', 'same-origin');
    return payload;
  });
  registerSettingsChangeHook(app, ctx.settings, ctx.db);
  if (opts.answerFaults) registerAnswerCheck(app, opts.answerFaults);

  await app.register(async (docs) => {
    // The documentation pages are public, like the spec they show.
    docs.addHook('onRoute', (route) => {
      route.config = { ...(route.config as object), capability: 'public' };
    });
    await docs.register(swaggerUi, { routePrefix: '/api/docs' });
  });

  app.get('/healthz', { config: { capability: 'public' }, schema: { hide: true } }, async (_req, reply) => {
    const about = { database: ctx.database.kind, node: ctx.config.nodeId };
    // A load balancer asks with a short timeout of its own: a database that does not answer is
    // reported as unavailable in bounded time, not left to hang the check.
    if (await databaseAnswers(ctx, HEALTH_TIMEOUT_MS)) return { status: 'ok', ...about };
    return reply.status(503).send({ status: 'unavailable', ...about });
  });
  app.get('/api/openapi.json', { config: { capability: 'public' }, schema: { hide: true } }, async () => app.swagger());

  await app.register(
    async (api) => {
      registerUnexpectedInputGuard(api);
      await api.register(authRoutes(ctx));
      await api.register(ticketRoutes(ctx));
      await api.register(customerRoutes(ctx));
      await api.register(userRoutes(ctx));
      await api.register(teamRoutes(ctx));
      await api.register(jobRoutes(ctx));
      await api.register(webhookRoutes(ctx));
      await api.register(promiseRoutes(ctx));
      await api.register(emailRoutes(ctx));
      if (opts.realtime) await api.register(opts.realtime.routes());
    },
    { prefix: '/api/v1' },
  );
  return app;
}

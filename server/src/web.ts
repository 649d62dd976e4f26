import type { FastifyInstance } from 'fastify';

/** Serves the agent app when it has been built; the API works without it. */
export async function serveWeb(app: FastifyInstance) {
  app.get('/', { config: { capability: 'public' }, schema: { hide: true } }, async (_req, reply) =>
    reply.type('text/html').send('<!doctype html><meta charset="utf-8"><title>Frontline</title><p>Frontline API is running. See <a href="/api/docs">/api/docs</a>.</p>'),
  );
}

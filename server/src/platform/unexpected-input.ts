import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from './errors.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route reads its body as bytes of its own type (raw mail), so it declares no body schema. */
    rawBody?: boolean;
  }
}

const refuse = (where: 'querystring' | 'body', field: string, message: string) =>
  new AppError(400, 'invalid_request', `Invalid ${field}: ${message}`, { field, issues: [{ in: where, field, message }] });

/** Content in a body: anything but nothing, an empty string or an empty JSON object. */
function carries(body: unknown): boolean {
  if (body === undefined || body === null || body === '') return false;
  if (typeof body === 'object' && !Array.isArray(body) && !Buffer.isBuffer(body)) return Object.keys(body).length > 0;
  return true;
}

/**
 * A route that declares no query parameters or no body refuses them, as a route with a schema
 * refuses unknown keys: a misspelt filter or a body sent to the wrong route is named, not ignored.
 */
export function registerUnexpectedInputGuard(app: FastifyInstance) {
  app.addHook('preValidation', async (req: FastifyRequest) => {
    const schema = req.routeOptions.schema;
    if (!schema?.querystring) {
      const [name] = Object.keys((req.query as object | undefined) ?? {});
      if (name !== undefined) throw refuse('querystring', name, 'this route takes no query parameters');
    }
    if (!schema?.body && !req.routeOptions.config.rawBody && carries(req.body)) throw refuse('body', 'body', 'this route takes no body');
  });
}

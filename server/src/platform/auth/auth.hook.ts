import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.js';
import { AppError } from '../errors.js';
import { roleHas, type Actor, type Capability } from '../permissions.js';
import { authenticate, forgetAuthenticated } from './auth.service.js';
import { safeEqual } from './secrets.js';

export const SESSION_COOKIE = 'frontline_session';
export const CSRF_HEADER = 'x-csrf-token';

declare module 'fastify' {
  interface FastifyContextConfig {
    capability?: Capability;
    /** A write that cannot change who may do what (ticket work): it leaves recently verified credentials alone. */
    keepsCredentials?: boolean;
  }
  interface FastifyRequest {
    actor?: Actor;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function bearerOf(req: FastifyRequest): string | undefined {
  const header = req.headers.authorization;
  if (!header) return undefined;
  const [scheme, value] = header.split(' ');
  return scheme?.toLowerCase() === 'bearer' && value ? value.trim() : undefined;
}

/** Resolves the caller and enforces each route's declared capability. Routes that declare none are refused. */
export function registerAuthHook(app: FastifyInstance, ctx: AppContext) {
  app.addHook('onRequest', async (req) => {
    const capability = req.routeOptions.config?.capability;
    if (!req.routeOptions.url) return; // no route matched: the not-found handler answers
    if (!capability) throw new AppError(403, 'forbidden', 'This route declares no capability');
    if (capability === 'public') return;

    const bearer = bearerOf(req);
    const cookie = req.cookies?.[SESSION_COOKIE];
    const token = bearer ?? cookie;
    if (!token) throw new AppError(401, 'unauthenticated', 'Sign in or send an API token');
    const found = await authenticate(ctx, token);
    if (!found) throw new AppError(401, 'unauthenticated', 'The session or token is not valid');

    // A browser session must prove the request came from our own page.
    if (!bearer && !SAFE_METHODS.has(req.method)) {
      const sent = req.headers[CSRF_HEADER];
      if (typeof sent !== 'string' || !found.csrfToken || !safeEqual(sent, found.csrfToken)) {
        throw new AppError(403, 'csrf_failed', `Send the session's CSRF token in the ${CSRF_HEADER} header`);
      }
    }
    if (!roleHas(found.actor.role, capability)) throw new AppError(403, 'forbidden', 'Your role does not allow this');
    req.actor = found.actor;
  });
  // Any write may change who can do what (sign-out, revoked token, deactivated account, new role or
  // teams): drop the recently verified credentials before the caller hears back. Routes must opt out.
  app.addHook('onSend', async (req, _reply, payload) => {
    if (!SAFE_METHODS.has(req.method) && !req.routeOptions.config?.keepsCredentials) forgetAuthenticated();
    return payload;
  });
}

/** The session token or API token this request came with. */
export function credentialOf(req: FastifyRequest): string | undefined {
  return bearerOf(req) ?? req.cookies?.[SESSION_COOKIE];
}

export function actorOf(req: FastifyRequest): Actor {
  if (!req.actor) throw new AppError(401, 'unauthenticated', 'Sign in or send an API token');
  return req.actor;
}

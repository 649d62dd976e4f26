import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { noContent } from '../openapi.js';
import { actorOf, credentialOf, SESSION_COOKIE } from './auth.hook.js';
import { apiTokenList, createdApiToken, loginAnswer, me } from './auth.responses.js';
import { authenticate, changePassword, createApiToken, listApiTokens, login, logout, revokeApiToken } from './auth.service.js';

const tags = ['auth'];

export function authRoutes(ctx: AppContext) {
  return async (app: FastifyInstance) => {
    const r = app.withTypeProvider<ZodTypeProvider>();

    r.post(
      '/auth/login',
      {
        config: { capability: 'public', responses: { 200: loginAnswer } },
        // Anyone may call this one: it reads no more than a sign-in needs, not the 100 MB an upload may.
        bodyLimit: 16 * 1024,
        schema: {
          tags,
          summary: 'Sign in; returns a token usable as Bearer and sets the session cookie',
          body: z.strictObject({ email: z.string().min(1).max(320), password: z.string().min(1).max(1024) }),
        },
      },
      async (req, reply) => {
        const result = await login(ctx, req.body.email, req.body.password, req.ip);
        reply.setCookie(SESSION_COOKIE, result.token, {
          path: '/',
          httpOnly: true,
          sameSite: 'lax',
          secure: ctx.config.cookieSecure,
          expires: result.expiresAt,
        });
        return {
          token: result.token,
          csrfToken: result.csrfToken,
          expiresAt: result.expiresAt.toISOString(),
          user: presentActor(result.actor),
        };
      },
    );

    r.post(
      '/auth/logout',
      { config: { capability: 'signed_in', responses: { 204: noContent } }, schema: { tags, summary: 'End this session' } },
      async (req, reply) => {
        const token = req.headers.authorization?.split(' ')[1] ?? req.cookies[SESSION_COOKIE];
        if (token) await logout(ctx, token);
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return reply.status(204).send();
      },
    );

    r.post(
      '/auth/password',
      {
        config: { capability: 'signed_in', responses: { 204: noContent } },
        schema: {
          tags,
          summary: "Change my password; my other sessions and API tokens stop working, this one stays",
          body: z.strictObject({ currentPassword: z.string().min(1).max(1024), newPassword: z.string().min(10, 'must be at least 10 characters').max(1024) }),
        },
      },
      async (req, reply) => {
        await changePassword(ctx, actorOf(req), credentialOf(req)!, req.body.currentPassword, req.body.newPassword, req.ip);
        return reply.status(204).send();
      },
    );

    r.get('/auth/me', { config: { capability: 'signed_in', responses: { 200: me } }, schema: { tags, summary: 'Who is signed in (with the CSRF token of a cookie session, so a reloaded page can write)' } }, async (req) => {
      // Readable only by our own origin (no CORS), so handing the token back is safe; it lets the app avoid storing it.
      const cookie = req.headers.authorization ? undefined : req.cookies[SESSION_COOKIE];
      const csrfToken = cookie ? ((await authenticate(ctx, cookie))?.csrfToken ?? undefined) : undefined;
      return { ...presentActor(actorOf(req)), csrfToken };
    });

    r.get('/auth/tokens', { config: { capability: 'signed_in', responses: { 200: apiTokenList } }, schema: { tags, summary: 'My API tokens' } }, async (req) => ({
      data: await listApiTokens(ctx, actorOf(req)),
    }));

    r.post(
      '/auth/tokens',
      {
        config: { capability: 'signed_in', responses: { 201: createdApiToken } },
        schema: {
          tags,
          summary: 'Create a personal API token; the token is shown only in this response',
          body: z.strictObject({ name: z.string().min(1).max(100) }),
        },
      },
      async (req, reply) => reply.status(201).send(await createApiToken(ctx, actorOf(req), req.body.name)),
    );

    r.delete(
      '/auth/tokens/:id',
      { config: { capability: 'signed_in', responses: { 204: noContent } }, schema: { tags, summary: 'Revoke an API token', params: z.object({ id: z.uuid() }) } },
      async (req, reply) => {
        await revokeApiToken(ctx, actorOf(req), req.params.id);
        return reply.status(204).send();
      },
    );
  };
}

function presentActor(a: ReturnType<typeof actorOf>) {
  return { id: a.userId, name: a.name, email: a.email, role: a.role, language: a.language, customerId: a.customerId, teamIds: a.teamIds, mustChangePassword: a.mustChangePassword ?? false };
}

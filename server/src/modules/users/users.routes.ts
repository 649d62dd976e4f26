import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf, credentialOf } from '../../platform/auth/auth.hook.js';
import type { AppContext } from '../../platform/context.js';
import { forbidden } from '../../platform/errors.js';
import { user, userPage } from './users.responses.js';
import { createPortalAccountBody, createStaffBody, idParams, listStaffQuery, updateMeBody, updateStaffBody } from './users.schema.js';
import { createPortalAccount, createStaff, getStaff, listStaff, updateMe, updateStaff } from './users.service.js';
import { users } from './users.table.js';

export function userRoutes(ctx: AppContext) {
  return async (app: FastifyInstance) => {
    const r = app.withTypeProvider<ZodTypeProvider>();
    const tags = ['staff'];

    r.get(
      '/staff',
      {
        config: { capability: 'staff.read', responses: { 200: userPage } },
        schema: {
          tags,
          summary: 'List or search staff, by name, a page at a time',
          querystring: listStaffQuery,
        },
      },
      async (req) => listStaff(ctx, req.query),
    );
    r.post('/staff', { config: { capability: 'staff.manage', responses: { 201: user } }, schema: { tags, summary: 'Add a staff member', body: createStaffBody } }, async (req, reply) => {
      // Only an admin may make another admin.
      if (req.body.role === 'admin' && actorOf(req).role !== 'admin') throw forbidden('Only an admin can create an admin');
      return reply.status(201).send(await createStaff(ctx, req.body));
    });
    r.get('/staff/:id', { config: { capability: 'staff.read', responses: { 200: user } }, schema: { tags, summary: 'A staff member', params: idParams } }, async (req) =>
      getStaff(ctx, req.params.id),
    );
    r.patch(
      '/staff/:id',
      { config: { capability: 'staff.manage', responses: { 200: user } }, schema: { tags, summary: 'Change role, tier, skills, availability', params: idParams, body: updateStaffBody } },
      async (req) => {
        const actor = actorOf(req);
        if (actor.role !== 'admin') {
          if (req.body.role === 'admin') throw forbidden('Only an admin can make an admin');
          // A new password or role for an admin would hand the account, and its powers, to whoever set it.
          const [target] = await ctx.db.select({ role: users.role }).from(users).where(eq(users.id, req.params.id));
          if (target?.role === 'admin') throw forbidden('Only an admin can change an admin');
        }
        // Changing your own password here ends your other sessions, not this one (as POST /auth/password does).
        return updateStaff(ctx, req.params.id, req.body, actor.userId === req.params.id ? credentialOf(req) : undefined);
      },
    );
    r.patch('/me', { config: { capability: 'signed_in', responses: { 200: user } }, schema: { tags, summary: 'Change my name, language, availability or signature', body: updateMeBody } }, async (req) =>
      updateMe(ctx, actorOf(req).userId, req.body),
    );
    r.post(
      '/portal-accounts',
      { config: { capability: 'portal.manage', responses: { 201: user } }, schema: { tags: ['customers'], summary: 'Give a customer a portal sign-in', body: createPortalAccountBody } },
      async (req, reply) => reply.status(201).send(await createPortalAccount(ctx, req.body)),
    );
  };
}

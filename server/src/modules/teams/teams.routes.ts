import { and, asc, eq, inArray, ne } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../platform/context.js';
import { badRequest, conflict, notFound } from '../../platform/errors.js';
import { timeZoneInput } from '../customers/customers.schema.js';
import { users } from '../users/users.table.js';
import { team, teamList } from './teams.responses.js';
import { teamMembers, teams } from './teams.table.js';

const teamBody = z
  .object({
    name: z.string().trim().min(1).max(100),
    description: z.string().max(1000).optional(),
    tier: z.union([z.literal(1), z.literal(2)]).optional(),
    timeZone: timeZoneInput.optional(),
    memberIds: z.array(z.uuid()).max(1000).optional(),
  })
  .strict();
const idParams = z.object({ id: z.uuid() });

export function teamRoutes(ctx: AppContext) {
  async function present(ids?: string[]) {
    const rows = await ctx.db.select().from(teams).where(ids ? inArray(teams.id, ids) : undefined).orderBy(asc(teams.name));
    const members = rows.length
      ? await ctx.db
          .select({ teamId: teamMembers.teamId, id: users.id, name: users.name, role: users.role, availability: users.availability })
          .from(teamMembers)
          .innerJoin(users, eq(users.id, teamMembers.userId))
          .where(inArray(teamMembers.teamId, rows.map((r) => r.id)))
      : [];
    return rows.map((t) => ({
      id: t.id,
      name: t.name,
      description: t.description,
      tier: t.tier,
      timeZone: t.timeZone,
      members: members.filter((m) => m.teamId === t.id).map(({ teamId: _, ...m }) => m),
    }));
  }

  async function setMembers(teamId: string, memberIds: string[] | undefined) {
    if (!memberIds) return;
    const ids = [...new Set(memberIds)];
    const staff = ids.length ? await ctx.db.select({ id: users.id, role: users.role }).from(users).where(inArray(users.id, ids)) : [];
    if (staff.length !== ids.length || staff.some((s) => s.role === 'customer')) {
      throw badRequest('invalid_member', 'memberIds: every member must be a staff member', { field: 'memberIds' });
    }
    await ctx.db.transaction(async (tx) => {
      await tx.delete(teamMembers).where(eq(teamMembers.teamId, teamId));
      if (ids.length) await tx.insert(teamMembers).values(ids.map((userId) => ({ teamId, userId })));
    });
  }

  return async (app: FastifyInstance) => {
    const r = app.withTypeProvider<ZodTypeProvider>();
    const tags = ['teams'];
    r.get('/teams', { config: { capability: 'staff.read', responses: { 200: teamList } }, schema: { tags, summary: 'Teams with their members' } }, async () => ({ data: await present() }));
    r.post('/teams', { config: { capability: 'teams.manage', changesSettings: true, responses: { 201: team } }, schema: { tags, summary: 'Create a team', body: teamBody } }, async (req, reply) => {
      const { memberIds, ...fields } = req.body;
      const [row] = await ctx.db.insert(teams).values(fields).onConflictDoNothing().returning();
      if (!row) throw conflict('team_exists', `A team named ${fields.name} already exists`, { field: 'name' });
      await setMembers(row.id, memberIds);
      return reply.status(201).send((await present([row.id]))[0]);
    });
    r.patch(
      '/teams/:id',
      { config: { capability: 'teams.manage', changesSettings: true, responses: { 200: team } }, schema: { tags, summary: 'Change a team or replace its members', params: idParams, body: teamBody.partial() } },
      async (req) => {
        const { memberIds, ...fields } = req.body;
        if (fields.name) {
          const [taken] = await ctx.db.select({ id: teams.id }).from(teams).where(and(eq(teams.name, fields.name), ne(teams.id, req.params.id)));
          if (taken) throw conflict('team_exists', `A team named ${fields.name} already exists`, { field: 'name' });
        }
        const [row] = Object.keys(fields).length
          ? await ctx.db.update(teams).set(fields).where(eq(teams.id, req.params.id)).returning()
          : await ctx.db.select().from(teams).where(eq(teams.id, req.params.id));
        if (!row) throw notFound('Team');
        await setMembers(row.id, memberIds);
        return (await present([row.id]))[0];
      },
    );
  };
}

import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf } from '../../platform/auth/auth.hook.js';
import type { AppContext } from '../../platform/context.js';
import { decodeCursor, encodeCursor } from '../../platform/cursor.js';
import { badRequest, conflict, notFound } from '../../platform/errors.js';
import { noContent } from '../../platform/openapi.js';
import { isStaff } from '../../platform/permissions.js';
import { teams } from '../teams/teams.table.js';
import { visibleTickets } from '../tickets/tickets.policy.js';
import { tickets } from '../tickets/tickets.table.js';
import { atRiskList, businessCalendar, calendarList, policyList, slaPolicy } from './sla.responses.js';
import { atRiskQuery, calendarBody, calendarPatch, idParams, policyBody, policyPatch } from './sla.schema.js';
import { businessSecondsBetween, type BusinessCalendar } from './business-time.js';
import { businessCalendars, slaPolicies, ticketSlaTargets } from './sla.table.js';
import { presentTarget } from './ticket-sla.queries.js';

const tags = ['sla'];

const presentCalendar = (c: typeof businessCalendars.$inferSelect) => ({
  id: c.id,
  name: c.name,
  teamId: c.teamId,
  isDefault: c.isDefault,
  timeZone: c.timeZone,
  hours: c.hours,
  holidays: c.holidays,
  updatedAt: c.updatedAt.toISOString(),
});
const presentPolicy = (p: typeof slaPolicies.$inferSelect) => ({
  id: p.id,
  name: p.name,
  position: p.position,
  active: p.active,
  conditions: p.conditions,
  targets: p.targets,
  warnAt: p.warnAt,
  breachActions: p.breachActions,
  updatedAt: p.updatedAt.toISOString(),
});

/** Calendars, policies (changes apply to tickets from their next change on) and the at-risk view. */
export function slaSettingsRoutes(ctx: AppContext) {
  async function assertTeams(ids: (string | null | undefined)[], field: string) {
    const wanted = [...new Set(ids.filter((x): x is string => !!x))];
    if (!wanted.length) return;
    const found = await ctx.db.select({ id: teams.id }).from(teams).where(inArray(teams.id, wanted));
    if (found.length !== wanted.length) throw badRequest('invalid_team', `${field}: no such team`, { field });
  }

  /** Holidays over every open day would leave no time to count promises in. */
  function assertOpens(cal: Omit<BusinessCalendar, 'timeZone'> & { timeZone?: string | null }) {
    const now = ctx.clock.now();
    const inAYear = new Date(now.getTime() + 366 * 86_400_000);
    if (businessSecondsBetween({ ...cal, timeZone: cal.timeZone ?? 'UTC' }, now, inAYear) === 0) {
      throw badRequest('calendar_never_open', 'holidays: they leave no opening hours in the coming year', { field: 'holidays' });
    }
  }

  return async (app: FastifyInstance) => {
    const r = app.withTypeProvider<ZodTypeProvider>();
    r.get('/sla/calendars', { config: { capability: 'staff.read', responses: { 200: calendarList } }, schema: { tags, summary: 'Business-hours calendars' } }, async () => ({
      data: (await ctx.db.select().from(businessCalendars).orderBy(asc(businessCalendars.name))).map(presentCalendar),
    }));
    r.post('/sla/calendars', { config: { capability: 'settings.manage', changesSettings: true, responses: { 201: businessCalendar } }, schema: { tags, summary: "A team's business-hours calendar", body: calendarBody } }, async (req, reply) => {
      await assertTeams([req.body.teamId], 'teamId');
      assertOpens(req.body);
      const [row] = await ctx.db.insert(businessCalendars).values({ ...req.body, updatedAt: ctx.clock.now() }).onConflictDoNothing().returning();
      if (!row) throw conflict('calendar_exists', 'This team already has a calendar; change it with PATCH', { field: 'teamId' });
      return reply.status(201).send(presentCalendar(row));
    });
    r.patch('/sla/calendars/:id', { config: { capability: 'settings.manage', changesSettings: true, responses: { 200: businessCalendar } }, schema: { tags, summary: 'Change a calendar', params: idParams, body: calendarPatch } }, async (req) => {
      const [current] = await ctx.db.select().from(businessCalendars).where(eq(businessCalendars.id, req.params.id));
      if (!current) throw notFound('Calendar');
      assertOpens({ ...current, ...req.body });
      const [row] = await ctx.db.update(businessCalendars).set({ ...req.body, updatedAt: ctx.clock.now() }).where(eq(businessCalendars.id, req.params.id)).returning();
      if (!row) throw notFound('Calendar');
      return presentCalendar(row);
    });
    r.delete('/sla/calendars/:id', { config: { capability: 'settings.manage', changesSettings: true, responses: { 204: noContent } }, schema: { tags, summary: "Remove a team's calendar", params: idParams } }, async (req, reply) => {
      const [row] = await ctx.db.select().from(businessCalendars).where(eq(businessCalendars.id, req.params.id));
      if (!row) throw notFound('Calendar');
      if (row.isDefault) throw conflict('calendar_default', 'The default calendar cannot be removed');
      await ctx.db.delete(businessCalendars).where(eq(businessCalendars.id, row.id));
      return reply.status(204).send();
    });

    r.get('/sla/policies', { config: { capability: 'staff.read', responses: { 200: policyList } }, schema: { tags, summary: 'SLA policies, in matching order' } }, async () => ({
      data: (await ctx.db.select().from(slaPolicies).orderBy(asc(slaPolicies.position), asc(slaPolicies.createdAt))).map(presentPolicy),
    }));
    r.post('/sla/policies', { config: { capability: 'settings.manage', changesSettings: true, responses: { 201: slaPolicy } }, schema: { tags, summary: 'Add an SLA policy', body: policyBody } }, async (req, reply) => {
      await assertTeams([...(req.body.conditions.teamIds ?? []), req.body.breachActions.reassignTeamId], 'conditions.teamIds');
      const now = ctx.clock.now();
      const [row] = await ctx.db.insert(slaPolicies).values({ ...req.body, createdAt: now, updatedAt: now }).returning();
      return reply.status(201).send(presentPolicy(row));
    });
    r.patch('/sla/policies/:id', { config: { capability: 'settings.manage', changesSettings: true, responses: { 200: slaPolicy } }, schema: { tags, summary: 'Change an SLA policy', params: idParams, body: policyPatch } }, async (req) => {
      await assertTeams([...(req.body.conditions?.teamIds ?? []), req.body.breachActions?.reassignTeamId], 'conditions.teamIds');
      const [row] = await ctx.db.update(slaPolicies).set({ ...req.body, updatedAt: ctx.clock.now() }).where(eq(slaPolicies.id, req.params.id)).returning();
      if (!row) throw notFound('Policy');
      return presentPolicy(row);
    });
    r.delete('/sla/policies/:id', { config: { capability: 'settings.manage', changesSettings: true, responses: { 204: noContent } }, schema: { tags, summary: 'Remove an SLA policy', params: idParams } }, async (req, reply) => {
      const gone = await ctx.db.delete(slaPolicies).where(eq(slaPolicies.id, req.params.id)).returning({ id: slaPolicies.id });
      if (!gone.length) throw notFound('Policy');
      return reply.status(204).send();
    });

    r.get(
      '/sla/targets',
      { config: { capability: 'tickets.read', responses: { 200: atRiskList } }, schema: { tags, summary: 'Tickets at risk or breached, soonest due first, a page at a time', querystring: atRiskQuery } },
      async (req) => {
        const actor = actorOf(req);
        if (!isStaff(actor)) throw notFound('Route');
        const q = req.query;
        const state =
          q.state === 'breached'
            ? eq(ticketSlaTargets.state, 'breached')
            : q.state === 'warning'
              ? and(eq(ticketSlaTargets.state, 'active'), sql`${ticketSlaTargets.warnedAt} is not null`)
              : sql`${ticketSlaTargets.state} in ('active', 'breached') and (${ticketSlaTargets.warnedAt} is not null or ${ticketSlaTargets.breachedAt} is not null)`;
        // No due time (a breached target whose clock is stopped) sorts last, as in the index.
        const due = sql`coalesce(${ticketSlaTargets.dueAt}, 'infinity'::timestamptz)`;
        const after = q.cursor ? decodeCursor(q.cursor, 'sla-targets', 'timestamp') : undefined;
        const rows = await ctx.db
          .select({ target: ticketSlaTargets, at: sql<string>`${due}::text`, number: tickets.number, subject: tickets.subject, status: tickets.status, assigneeId: tickets.assigneeId, teamId: tickets.teamId })
          .from(ticketSlaTargets)
          .innerJoin(tickets, eq(tickets.id, ticketSlaTargets.ticketId))
          .where(and(state, isNull(ticketSlaTargets.metAt), visibleTickets(actor), after ? sql`(${due}, ${ticketSlaTargets.id}) > (${after.value}::timestamptz, ${after.id}::uuid)` : undefined))
          .orderBy(asc(due), asc(ticketSlaTargets.id))
          .limit(q.limit + 1);
        const page = rows.slice(0, q.limit);
        const last = page.at(-1);
        return {
          data: page.map(({ target, at: _at, ...t }) => ({ ticket: { id: target.ticketId, ...t }, target: presentTarget(target) })),
          nextCursor: rows.length > q.limit && last ? encodeCursor('sla-targets', last.at, last.target.id) : null,
        };
      },
    );
  };
}

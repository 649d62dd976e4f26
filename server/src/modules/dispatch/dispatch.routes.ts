import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../platform/context.js';
import { notFound } from '../../platform/errors.js';
import { enqueue } from '../../platform/jobs/jobs.js';
import { teams } from '../teams/teams.table.js';
import { assignmentRule } from './dispatch.responses.js';
import { assignmentRules, assignmentStrategies } from './dispatch.table.js';

const ruleBody = z
  .object({
    enabled: z.boolean().default(true),
    strategy: z.enum(assignmentStrategies).default('round_robin'),
    maxOpenPerAgent: z.number().int().min(1).max(1000).default(10),
  })
  .strict();
const idParams = z.object({ id: z.uuid() });

const present = (teamId: string, r: typeof assignmentRules.$inferSelect | undefined) =>
  r
    ? { teamId, enabled: r.enabled, strategy: r.strategy, maxOpenPerAgent: r.maxOpenPerAgent, lastAssignedUserId: r.lastAssignedUserId }
    : { teamId, enabled: false, strategy: 'round_robin' as const, maxOpenPerAgent: 10, lastAssignedUserId: null };

/** Per-team auto-assignment rules: round robin, least loaded or skills match, online agents under a cap. */
export function dispatchRoutes(ctx: AppContext) {
  async function assertTeam(id: string) {
    const [t] = await ctx.db.select({ id: teams.id }).from(teams).where(eq(teams.id, id));
    if (!t) throw notFound('Team');
  }
  return async (app: FastifyInstance) => {
    const r = app.withTypeProvider<ZodTypeProvider>();
    const tags = ['dispatch'];
    r.get('/teams/:id/assignment-rule', { config: { capability: 'staff.read', responses: { 200: assignmentRule } }, schema: { tags, summary: "The team's auto-assignment rule", params: idParams } }, async (req) => {
      await assertTeam(req.params.id);
      const [row] = await ctx.db.select().from(assignmentRules).where(eq(assignmentRules.teamId, req.params.id));
      return present(req.params.id, row);
    });
    r.put(
      '/teams/:id/assignment-rule',
      { config: { capability: 'teams.manage', changesSettings: true, responses: { 200: assignmentRule } }, schema: { tags, summary: "Set the team's auto-assignment rule; waiting tickets are handed out", params: idParams, body: ruleBody } },
      async (req) => {
        await assertTeam(req.params.id);
        const values = { ...req.body, updatedAt: ctx.clock.now() };
        const row = await ctx.db.transaction(async (tx) => {
          const [saved] = await tx
            .insert(assignmentRules)
            .values({ teamId: req.params.id, ...values })
            .onConflictDoUpdate({ target: assignmentRules.teamId, set: values })
            .returning();
          if (saved.enabled) await enqueue(tx, 'dispatch.drain', { teamId: req.params.id }, { runAt: ctx.clock.now() });
          return saved;
        });
        return present(req.params.id, row);
      },
    );
  };
}

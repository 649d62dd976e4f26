import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import type { AppContext } from '../../platform/context.js';
import { recordTicketEvent } from '../../platform/events.js';
import type { JobHandlers } from '../../platform/jobs/runner.js';
import { onTicketChanged } from '../sla/ticket-lifecycle.js';
import { teamMembers } from '../teams/teams.table.js';
import { tickets } from '../tickets/tickets.table.js';
import { users } from '../users/users.table.js';
import { assignmentRules } from './dispatch.table.js';
import { pickAgent } from './pick-agent.js';
import { transactionLock } from '../../platform/locks.js';

const openStatuses = ['new', 'open', 'pending', 'on_hold'] as const;

/** Online agents of a team with their open-ticket load; each count reads one agent's tickets by index. */
async function candidates(tx: DbOrTx, teamId: string) {
  const rows = await tx
    .select({
      id: users.id,
      skills: users.skills,
      load: sql<number>`(select count(*)::int from tickets t where t.assignee_id = ${users.id} and t.status in ('new', 'open', 'pending', 'on_hold'))`,
    })
    .from(teamMembers)
    .innerJoin(users, eq(users.id, teamMembers.userId))
    .where(and(eq(teamMembers.teamId, teamId), eq(users.role, 'agent'), eq(users.active, true), eq(users.availability, 'online')));
  return rows.map((r) => ({ ...r, load: Number(r.load) }));
}

/**
 * Gives one waiting ticket to an agent by the team's rule. Assignments take turns across the
 * cluster (an agent may be in several auto-assigning teams, and the cap counts all their tickets),
 * so caps hold.
 * Returns false when nobody can take it (it stays in the unassigned queue).
 */
export async function assignTicket(ctx: AppContext, ticketId: string): Promise<boolean> {
  return ctx.db.transaction(async (tx) => {
    const [peek] = await tx.select({ teamId: tickets.teamId }).from(tickets).where(eq(tickets.id, ticketId));
    if (!peek?.teamId) return false;
    await tx.execute(transactionLock('dispatch'));
    const [rule] = await tx.select().from(assignmentRules).where(eq(assignmentRules.teamId, peek.teamId)).for('update');
    if (!rule?.enabled) return false;
    const [ticket] = await tx.select().from(tickets).where(eq(tickets.id, ticketId)).for('update');
    if (!ticket || ticket.assigneeId || ticket.teamId !== rule.teamId || ticket.mergedIntoId || !(openStatuses as readonly string[]).includes(ticket.status)) return false;
    const eligible = (await candidates(tx, rule.teamId)).filter((c) => c.load < rule.maxOpenPerAgent);
    const wanted = [ticket.category, ...ticket.tags].filter((s): s is string => !!s).map((s) => s.toLowerCase());
    const agent = pickAgent(rule.strategy, eligible, rule.lastAssignedUserId, wanted);
    if (!agent) return false;
    const now = ctx.clock.now();
    const status = ticket.status === 'new' ? 'open' : ticket.status;
    const [updated] = await tx
      .update(tickets)
      .set({ assigneeId: agent.id, status, version: ticket.version + 1, updatedAt: now })
      .where(eq(tickets.id, ticket.id))
      .returning();
    await tx.update(assignmentRules).set({ lastAssignedUserId: agent.id }).where(eq(assignmentRules.teamId, rule.teamId));
    const scope = { ticketId: ticket.id, teamId: updated.teamId, assigneeId: updated.assigneeId, requesterId: updated.requesterId };
    const auto = { by: 'dispatcher', strategy: rule.strategy };
    await recordTicketEvent(tx, scope, { type: 'ticket.assigned', at: now, data: { field: 'assigneeId', from: null, to: agent.id, auto } });
    if (status !== ticket.status) await recordTicketEvent(tx, scope, { type: 'ticket.status_changed', at: now, data: { field: 'status', from: ticket.status, to: status, auto } });
    await onTicketChanged(ctx, tx, ticket, updated);
    return true;
  });
}

/** Hands out a team's waiting tickets, oldest first, while someone has room. */
export async function drainTeam(ctx: AppContext, teamId: string, max = 50): Promise<number> {
  let assigned = 0;
  const tried = new Set<string>();
  while (assigned < max) {
    const [next] = await ctx.db
      .select({ id: tickets.id })
      .from(tickets)
      // Literal predicates, so the partial index of waiting tickets serves this query.
      .where(and(eq(tickets.teamId, teamId), sql`${tickets.assigneeId} is null and ${tickets.status} in ('new', 'open', 'pending', 'on_hold')`, isNull(tickets.mergedIntoId)))
      .orderBy(asc(tickets.createdAt), asc(tickets.id))
      .limit(1);
    if (!next || tried.has(next.id)) break;
    tried.add(next.id);
    if (!(await assignTicket(ctx, next.id))) break;
    assigned++;
  }
  return assigned;
}

export function dispatchJobs(ctx: AppContext): JobHandlers {
  return {
    'dispatch.assign': async (p: { ticketId: string }) => {
      await assignTicket(ctx, p.ticketId);
    },
    'dispatch.drain': async (p: { teamId: string }) => {
      await drainTeam(ctx, p.teamId);
    },
  };
}

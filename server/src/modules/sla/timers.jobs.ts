import { and, eq, isNull } from 'drizzle-orm';
import type { AppContext } from '../../platform/context.js';
import { recordTicketEvent } from '../../platform/events.js';
import type { JobHandlers } from '../../platform/jobs/runner.js';
import { tickets } from '../tickets/tickets.table.js';
import { teams } from '../teams/teams.table.js';
import { notifyStaff, ticketWatchers } from './notifications.service.js';
import { slaPolicies, ticketSlaTargets } from './sla.table.js';
import { isDone } from './targets.service.js';
import { onTicketChanged } from './ticket-lifecycle.js';

type TimerPayload = { targetId: string; generation: number };
const priorities = ['low', 'normal', 'high', 'urgent'] as const;

/**
 * A warning or breach fires once: the job is unique per target and generation, and the first
 * transaction to stamp warned_at / breached_at wins, so a second node or a retried job finds
 * nothing to do.
 */
async function fire(ctx: AppContext, p: TimerPayload, kind: 'warn' | 'breach') {
  await ctx.db.transaction(async (tx) => {
    const [peek] = await tx.select({ ticketId: ticketSlaTargets.ticketId, generation: ticketSlaTargets.generation }).from(ticketSlaTargets).where(eq(ticketSlaTargets.id, p.targetId));
    if (!peek || peek.generation !== p.generation) return;
    // Ticket first, then target: the same order as ticket changes, so the two never deadlock.
    const [ticket] = await tx.select().from(tickets).where(eq(tickets.id, peek.ticketId)).for('update');
    const [r] = await tx.select().from(ticketSlaTargets).where(eq(ticketSlaTargets.id, p.targetId)).for('update');
    if (!ticket || !r || r.generation !== p.generation || isDone(r) || !r.runningSince) return;
    const now = ctx.clock.now();
    const scope = { ticketId: ticket.id, teamId: ticket.teamId, assigneeId: ticket.assigneeId, requesterId: ticket.requesterId };
    const data = { metric: r.metric, dueAt: r.dueAt?.toISOString() ?? null, targetId: r.id, internal: r.internal, number: ticket.number, subject: ticket.subject };
    const watchers = await ticketWatchers(tx, ticket);
    if (kind === 'warn') {
      const won = await tx
        .update(ticketSlaTargets)
        .set({ warnedAt: now })
        .where(and(eq(ticketSlaTargets.id, r.id), isNull(ticketSlaTargets.warnedAt)))
        .returning({ id: ticketSlaTargets.id });
      if (!won.length) return;
      await recordTicketEvent(tx, scope, { type: 'sla.warning', at: now, internal: true, data });
      await notifyStaff(tx, watchers, { ticketId: ticket.id, kind: 'sla.warning', data, at: now });
      return;
    }
    const won = await tx
      .update(ticketSlaTargets)
      .set({ state: 'breached', breachedAt: now })
      .where(and(eq(ticketSlaTargets.id, r.id), isNull(ticketSlaTargets.breachedAt)))
      .returning({ id: ticketSlaTargets.id });
    if (!won.length) return;
    await recordTicketEvent(tx, scope, { type: 'sla.breached', at: now, internal: true, data });
    const [policy] = r.policyId ? await tx.select({ actions: slaPolicies.breachActions }).from(slaPolicies).where(eq(slaPolicies.id, r.policyId)) : [];
    const actions = policy?.actions ?? {};
    await notifyStaff(tx, [...watchers, ...(actions.notifyUserIds ?? [])], { ticketId: ticket.id, kind: 'sla.breached', data, at: now });

    const changes: Partial<typeof tickets.$inferSelect> = {};
    if (actions.raisePriority && ticket.priority !== 'urgent') changes.priority = priorities[priorities.indexOf(ticket.priority) + 1];
    if (actions.reassignTeamId && actions.reassignTeamId !== ticket.teamId) {
      const [team] = await tx.select({ id: teams.id }).from(teams).where(eq(teams.id, actions.reassignTeamId));
      if (team) Object.assign(changes, { teamId: team.id, assigneeId: null });
    }
    if (!Object.keys(changes).length) return;
    const [updated] = await tx
      .update(tickets)
      .set({ ...changes, version: ticket.version + 1, updatedAt: now })
      .where(eq(tickets.id, ticket.id))
      .returning();
    const auto = { by: 'sla', metric: r.metric };
    const newScope = { ...scope, teamId: updated.teamId, assigneeId: updated.assigneeId };
    if (changes.priority) await recordTicketEvent(tx, newScope, { type: 'ticket.priority_changed', at: now, data: { field: 'priority', from: ticket.priority, to: updated.priority, auto } });
    if ('teamId' in changes) {
      await recordTicketEvent(tx, newScope, { type: 'ticket.team_changed', at: now, data: { field: 'teamId', from: ticket.teamId, to: updated.teamId, auto } });
      if (ticket.assigneeId) await recordTicketEvent(tx, newScope, { type: 'ticket.assigned', at: now, data: { field: 'assigneeId', from: ticket.assigneeId, to: null, auto } });
    }
    await onTicketChanged(ctx, tx, ticket, updated);
  });
}

export function slaJobs(ctx: AppContext): JobHandlers {
  return {
    'sla.warn': (p: TimerPayload) => fire(ctx, p, 'warn'),
    'sla.breach': (p: TimerPayload) => fire(ctx, p, 'breach'),
  };
}

import { and, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import type { AppContext } from '../../platform/context.js';
import { enqueue, type JobSpec } from '../../platform/jobs/jobs.js';
import { routingSettings } from '../sla/routing-settings.js';
import type { TicketChange } from '../sla/targets.service.js';
import { teamMembers } from '../teams/teams.table.js';
import { assignmentRules } from './dispatch.table.js';

const isClosed = (s: string) => s === 'solved' || s === 'closed';

async function ruleEnabled(ctx: Pick<AppContext, 'settings'>, tx: DbOrTx, teamId: string) {
  return (await routingSettings(ctx, tx, [teamId])).autoAssignTeams.has(teamId);
}

/**
 * Auto-assignment when a ticket lands unassigned in a team with a rule (created, moved, or
 * unassigned), and a drain of the team's queue when an agent's load drops (solved, handed on).
 */
export async function dispatchJobs(ctx: Pick<AppContext, 'settings'>, tx: DbOrTx, { before, after }: TicketChange, now: Date): Promise<JobSpec[]> {
  const out: JobSpec[] = [];
  const waiting = !after.assigneeId && after.teamId && !isClosed(after.status) && !after.mergedIntoId;
  const newlyWaiting = waiting && (!before || before.teamId !== after.teamId || before.assigneeId !== null || isClosed(before.status));
  if (newlyWaiting && (await ruleEnabled(ctx, tx, after.teamId!))) {
    out.push({ name: 'dispatch.assign', payload: { ticketId: after.id }, runAt: now, dedupeKey: `dispatch:${after.id}:${after.version}` });
  }
  const freed = before?.assigneeId && before.teamId && !isClosed(before.status) && (isClosed(after.status) || after.assigneeId !== before.assigneeId);
  if (freed && (await ruleEnabled(ctx, tx, before.teamId!))) {
    out.push({ name: 'dispatch.drain', payload: { teamId: before.teamId }, runAt: now, dedupeKey: `drain:${before.teamId}:${after.id}:${after.version}` });
  }
  return out;
}

/** An agent who comes online can take waiting tickets: each of their teams that auto-assigns drains its queue. */
export async function scheduleDrainsForAgent(tx: DbOrTx, userId: string, now: Date) {
  const rules = await tx
    .select({ teamId: assignmentRules.teamId })
    .from(assignmentRules)
    .innerJoin(teamMembers, eq(teamMembers.teamId, assignmentRules.teamId))
    .where(and(eq(teamMembers.userId, userId), eq(assignmentRules.enabled, true)));
  for (const { teamId } of rules) {
    await enqueue(tx, 'dispatch.drain', { teamId }, { runAt: now, dedupeKey: `drain:${teamId}:online:${userId}:${now.getTime()}` });
  }
}

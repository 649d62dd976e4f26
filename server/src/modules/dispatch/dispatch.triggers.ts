import { and, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { enqueue } from '../../platform/jobs/jobs.js';
import type { TicketChange } from '../sla/targets.service.js';
import { teamMembers } from '../teams/teams.table.js';
import { assignmentRules } from './dispatch.table.js';

const isClosed = (s: string) => s === 'solved' || s === 'closed';

async function ruleEnabled(tx: DbOrTx, teamId: string) {
  const [rule] = await tx.select({ teamId: assignmentRules.teamId }).from(assignmentRules).where(and(eq(assignmentRules.teamId, teamId), eq(assignmentRules.enabled, true)));
  return !!rule;
}

/**
 * Queues auto-assignment when a ticket lands unassigned in a team with a rule (created, moved, or
 * unassigned), and a drain of the team's queue when an agent's load drops (solved, handed on).
 */
export async function scheduleDispatch(tx: DbOrTx, { before, after }: TicketChange, now: Date) {
  const waiting = !after.assigneeId && after.teamId && !isClosed(after.status) && !after.mergedIntoId;
  const newlyWaiting = waiting && (!before || before.teamId !== after.teamId || before.assigneeId !== null || isClosed(before.status));
  if (newlyWaiting && (await ruleEnabled(tx, after.teamId!))) {
    await enqueue(tx, 'dispatch.assign', { ticketId: after.id }, { runAt: now, dedupeKey: `dispatch:${after.id}:${after.version}` });
  }
  const freed = before?.assigneeId && before.teamId && !isClosed(before.status) && (isClosed(after.status) || after.assigneeId !== before.assigneeId);
  if (freed && (await ruleEnabled(tx, before.teamId!))) {
    await enqueue(tx, 'dispatch.drain', { teamId: before.teamId }, { runAt: now, dedupeKey: `drain:${before.teamId}:${after.id}:${after.version}` });
  }
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

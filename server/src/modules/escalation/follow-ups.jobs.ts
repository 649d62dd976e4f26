import { and, eq, isNull, sql } from 'drizzle-orm';
import type { AppContext } from '../../platform/context.js';
import { recordTicketEvent } from '../../platform/events.js';
import type { JobHandlers } from '../../platform/jobs/runner.js';
import { notifyStaff, ticketWatchers } from '../sla/notifications.service.js';
import { tickets } from '../tickets/tickets.table.js';
import { followUps } from './escalation.table.js';

/** Reminder before the promise, and "missed" at it; each stamps its row once, so it fires once. */
async function step(ctx: AppContext, followUpId: string, kind: 'remind' | 'due') {
  await ctx.db.transaction(async (tx) => {
    const now = ctx.clock.now();
    const stamp = kind === 'remind' ? { remindedAt: now } : { state: 'missed', missedAt: now };
    const [f] = await tx
      .update(followUps)
      .set(stamp)
      .where(and(eq(followUps.id, followUpId), sql`${followUps.state} = 'pending'`, kind === 'remind' ? isNull(followUps.remindedAt) : undefined))
      .returning();
    if (!f) return;
    const [t] = await tx.select().from(tickets).where(eq(tickets.id, f.ticketId));
    if (!t) return;
    const type = kind === 'remind' ? 'followup.reminder' : 'followup.missed';
    const data = { followUpId: f.id, dueAt: f.dueAt.toISOString(), note: f.note, number: t.number };
    await recordTicketEvent(tx, { ticketId: t.id, teamId: t.teamId, assigneeId: t.assigneeId, requesterId: t.requesterId }, { type, at: now, internal: true, data });
    const to = kind === 'remind' ? [f.agentId, t.assigneeId] : [f.agentId, ...(await ticketWatchers(tx, t))];
    await notifyStaff(tx, to.filter((u): u is string => !!u), { ticketId: t.id, kind: type, data, at: now });
  });
}

export function followUpJobs(ctx: AppContext): JobHandlers {
  return {
    'followup.remind': (p: { followUpId: string }) => step(ctx, p.followUpId, 'remind'),
    'followup.due': (p: { followUpId: string }) => step(ctx, p.followUpId, 'due'),
  };
}

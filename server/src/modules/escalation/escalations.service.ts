import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import type { AppContext } from '../../platform/context.js';
import { badRequest, conflict } from '../../platform/errors.js';
import { recordTicketEvent } from '../../platform/events.js';
import { isStaff, type Actor } from '../../platform/permissions.js';
import { customers } from '../customers/customers.table.js';
import { notifyStaff, ticketWatchers } from '../sla/notifications.service.js';
import { onTicketChanged } from '../sla/ticket-lifecycle.js';
import { teamMembers, teams } from '../teams/teams.table.js';
import { lockTicket } from '../tickets/tickets.service.js';
import { tickets } from '../tickets/tickets.table.js';
import { users } from '../users/users.table.js';
import { escalations, type HandoffSummary } from './escalation.table.js';

type Ticket = typeof tickets.$inferSelect;
export type EscalateInput = { to?: 'tier2' | 'supervisor'; reason: string; summary?: HandoffSummary; teamId?: string; userId?: string };

const scopeOf = (t: Ticket) => ({ ticketId: t.id, teamId: t.teamId, assigneeId: t.assigneeId, requesterId: t.requesterId });

async function tier2Team(tx: DbOrTx, teamId: string | undefined): Promise<string> {
  if (teamId) {
    const [t] = await tx.select({ id: teams.id, tier: teams.tier }).from(teams).where(eq(teams.id, teamId));
    if (!t || t.tier !== 2) throw badRequest('invalid_team', 'teamId: no level-2 team with this id', { field: 'teamId' });
    return t.id;
  }
  const [t] = await tx.select({ id: teams.id }).from(teams).where(eq(teams.tier, 2)).orderBy(asc(teams.name)).limit(1);
  if (!t) throw conflict('no_tier2_team', 'There is no level-2 team to escalate to; create a team with tier 2');
  return t.id;
}

async function supervisorFor(tx: DbOrTx, ticket: Ticket, userId: string | undefined): Promise<string> {
  if (userId) {
    const [u] = await tx.select({ id: users.id, role: users.role, active: users.active }).from(users).where(eq(users.id, userId));
    if (!u || !u.active || !['supervisor', 'manager', 'admin'].includes(u.role)) {
      throw badRequest('invalid_user', 'userId: no active supervisor or manager with this id', { field: 'userId' });
    }
    return u.id;
  }
  const inTeam = ticket.teamId
    ? await tx
        .select({ id: users.id })
        .from(teamMembers)
        .innerJoin(users, eq(users.id, teamMembers.userId))
        .where(and(eq(teamMembers.teamId, ticket.teamId), eq(users.role, 'supervisor'), eq(users.active, true)))
        .orderBy(asc(users.name))
        .limit(1)
    : [];
  const [any] = inTeam.length ? inTeam : await tx.select({ id: users.id }).from(users).where(and(eq(users.role, 'supervisor'), eq(users.active, true))).orderBy(asc(users.name)).limit(1);
  if (!any) throw conflict('no_supervisor', 'There is no active supervisor to escalate to');
  return any.id;
}

/**
 * An agent moves a ticket up a tier or to a supervisor, with a reason and a handoff summary;
 * a customer asks for it on their own ticket, and that request is recorded for staff to act on.
 */
export async function escalateTicket(ctx: AppContext, actor: Actor, ticketId: string, input: EscalateInput) {
  const staff = isStaff(actor);
  if (staff && !input.to) throw badRequest('invalid_request', "to: 'tier2' or 'supervisor' is required", { field: 'to' });
  if (staff && !input.summary) throw badRequest('summary_required', 'summary: say what was tried and what the customer already answered', { field: 'summary' });
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const current = await lockTicket(tx, actor, ticketId);
    if (current.mergedIntoId) throw conflict('ticket_merged', 'This ticket was merged into another; escalate that one');
    if (current.status === 'closed') throw conflict('ticket_closed', 'This ticket is closed');
    const target = input.to ?? 'tier2';
    if (!staff) {
      const [row] = await tx
        .insert(escalations)
        .values({ ticketId, target, requestedBy: 'customer', actorCustomerId: actor.customerId, fromTeamId: current.teamId, reason: input.reason, createdAt: now })
        .returning();
      const data = { escalationId: row.id, to: target, reason: input.reason, requestedBy: 'customer' };
      await recordTicketEvent(tx, scopeOf(current), { type: 'ticket.escalation_requested', actor, at: now, data });
      await notifyStaff(tx, await ticketWatchers(tx, current), { ticketId, kind: 'ticket.escalation_requested', data: { ...data, number: current.number }, at: now });
      return row.id;
    }
    const changes: Partial<Ticket> =
      target === 'tier2' ? { teamId: await tier2Team(tx, input.teamId), assigneeId: null } : { assigneeId: await supervisorFor(tx, current, input.userId) };
    if (changes.teamId === current.teamId) delete changes.teamId;
    if (current.status === 'new' && changes.assigneeId) changes.status = 'open';
    const [row] = await tx
      .insert(escalations)
      .values({
        ticketId,
        target,
        requestedBy: 'agent',
        actorUserId: actor.userId,
        fromTeamId: current.teamId,
        toTeamId: changes.teamId ?? current.teamId,
        toUserId: changes.assigneeId ?? null,
        reason: input.reason,
        summary: input.summary,
        createdAt: now,
      })
      .returning();
    const [updated] = await tx
      .update(tickets)
      .set({ ...changes, version: current.version + 1, updatedAt: now })
      .where(eq(tickets.id, ticketId))
      .returning();
    const scope = scopeOf(updated);
    await recordTicketEvent(tx, scope, {
      type: 'ticket.escalated',
      actor,
      at: now,
      internal: true,
      data: { escalationId: row.id, to: target, reason: input.reason, fromTeamId: current.teamId, toTeamId: updated.teamId, toUserId: row.toUserId },
    });
    if (updated.teamId !== current.teamId) {
      await recordTicketEvent(tx, scope, { type: 'ticket.team_changed', actor, at: now, data: { field: 'teamId', from: current.teamId, to: updated.teamId, escalationId: row.id } });
    }
    if (updated.assigneeId !== current.assigneeId) {
      await recordTicketEvent(tx, scope, { type: 'ticket.assigned', actor, at: now, data: { field: 'assigneeId', from: current.assigneeId, to: updated.assigneeId, escalationId: row.id } });
    }
    if (updated.status !== current.status) {
      await recordTicketEvent(tx, scope, { type: 'ticket.status_changed', actor, at: now, data: { field: 'status', from: current.status, to: updated.status } });
    }
    await onTicketChanged(ctx, tx, current, updated);
    return row.id;
  });
}

export function presentEscalation(e: typeof escalations.$inferSelect, by: { id: string; name: string } | null) {
  return {
    id: e.id,
    to: e.target,
    requestedBy: e.requestedBy,
    by,
    reason: e.reason,
    summary: e.summary,
    fromTeamId: e.fromTeamId,
    toTeamId: e.toTeamId,
    toUserId: e.toUserId,
    createdAt: e.createdAt.toISOString(),
  };
}

/** Escalations of some tickets, newest first, with who raised them. */
export async function escalationsOf(db: DbOrTx, ticketIds: string[]) {
  if (!ticketIds.length) return [];
  const rows = await db
    .select({ e: escalations, userName: users.name, customerName: customers.name })
    .from(escalations)
    .leftJoin(users, eq(users.id, escalations.actorUserId))
    .leftJoin(customers, eq(customers.id, escalations.actorCustomerId))
    .where(inArray(escalations.ticketId, ticketIds))
    .orderBy(desc(escalations.createdAt), desc(escalations.id));
  return rows.map(({ e, userName, customerName }) => {
    const id = e.actorUserId ?? e.actorCustomerId;
    return { ticketId: e.ticketId, view: presentEscalation(e, id ? { id, name: userName ?? customerName ?? '' } : null) };
  });
}

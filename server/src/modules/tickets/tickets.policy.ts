import { sql, type SQL } from 'drizzle-orm';
import { AppError, forbidden } from '../../platform/errors.js';
import { canChangeField, isStaff, seesAllTickets, type Actor } from '../../platform/permissions.js';
import { tickets } from './tickets.table.js';

/** The tickets an actor may see, as a WHERE condition. Anything outside it answers "not found". */
export function visibleTickets(actor: Actor): SQL | undefined {
  if (actor.role === 'customer') {
    return actor.customerId ? sql`${tickets.requesterId} = ${actor.customerId}` : sql`false`;
  }
  if (seesAllTickets(actor.role)) return undefined;
  if (!actor.teamIds.length) return sql`${tickets.assigneeId} = ${actor.userId}`;
  return sql`(${tickets.assigneeId} = ${actor.userId} or ${tickets.teamId} in (${sql.join(
    actor.teamIds.map((id) => sql`${id}::uuid`),
    sql`, `,
  )}))`;
}

type Scoped = { teamId: string | null; assigneeId: string | null; requesterId: string };

export function canSeeTicket(actor: Actor, t: Scoped): boolean {
  if (actor.role === 'customer') return !!actor.customerId && t.requesterId === actor.customerId;
  if (seesAllTickets(actor.role)) return true;
  return t.assigneeId === actor.userId || (!!t.teamId && actor.teamIds.includes(t.teamId));
}

export function assertCanChange(actor: Actor, fields: string[]) {
  const refused = fields.filter((f) => !canChangeField(actor.role, f));
  if (refused.length) {
    throw new AppError(403, 'forbidden_field', `Your role may not change: ${refused.join(', ')}`, { field: refused[0], fields: refused });
  }
}

/** An agent's new ticket with neither team nor assignee would be out of their own sight, so it becomes theirs. */
export function ownerOfNewTicket(actor: Actor, input: { teamId?: string; assigneeId?: string }): string | undefined {
  if (input.assigneeId || input.teamId || actor.role === 'customer' || seesAllTickets(actor.role)) return input.assigneeId;
  return actor.userId;
}

export function assertCanWrite(actor: Actor, internal: boolean) {
  if (internal && !isStaff(actor)) throw forbidden('Customers cannot write internal notes');
}

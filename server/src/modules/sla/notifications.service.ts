import { and, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import type { AppContext } from '../../platform/context.js';
import { decodeCursor, encodeCursor } from '../../platform/cursor.js';
import type { Actor } from '../../platform/permissions.js';
import { teamMembers } from '../teams/teams.table.js';
import { visibleTickets } from '../tickets/tickets.policy.js';
import { tickets } from '../tickets/tickets.table.js';
import { users } from '../users/users.table.js';
import { staffNotifications } from './sla.table.js';

/**
 * Who hears about a ticket's warnings and breaches: its assignee and its team's supervisors.
 * A team without a supervisor falls back to the desk's supervisors, so nobody misses it.
 */
export async function ticketWatchers(tx: DbOrTx, ticket: { teamId: string | null; assigneeId: string | null }): Promise<string[]> {
  const ids = new Set<string>();
  if (ticket.assigneeId) ids.add(ticket.assigneeId);
  const supervisors = ticket.teamId
    ? await tx
        .select({ id: users.id })
        .from(teamMembers)
        .innerJoin(users, eq(users.id, teamMembers.userId))
        .where(and(eq(teamMembers.teamId, ticket.teamId), eq(users.role, 'supervisor'), eq(users.active, true)))
    : [];
  const chosen = supervisors.length
    ? supervisors
    : await tx.select({ id: users.id }).from(users).where(and(eq(users.role, 'supervisor'), eq(users.active, true))).limit(20);
  for (const s of chosen) ids.add(s.id);
  return [...ids];
}

export async function notifyStaff(
  tx: DbOrTx,
  userIds: string[],
  n: { ticketId: string | null; kind: string; data: Record<string, unknown>; at: Date },
): Promise<void> {
  const unique = [...new Set(userIds)];
  if (!unique.length) return;
  await tx.insert(staffNotifications).values(unique.map((userId) => ({ userId, ticketId: n.ticketId, kind: n.kind, data: n.data, createdAt: n.at })));
}

/**
 * Mine, newest first, a page at a time: ties in time (one breach told to many at once) ordered by id.
 * Only about tickets I may still see: one handed to another team since takes its subject with it.
 */
export async function listNotifications(ctx: AppContext, actor: Actor, opts: { unread?: boolean; limit: number; cursor?: string }) {
  const after = opts.cursor ? decodeCursor(opts.cursor, 'notifications', 'timestamp') : undefined;
  const n = staffNotifications;
  const scope = visibleTickets(actor);
  const rows = await ctx.db
    .select({ row: n, at: sql<string>`${n.createdAt}::text` })
    .from(n)
    .where(
      and(
        eq(n.userId, actor.userId),
        opts.unread ? isNull(n.readAt) : undefined,
        scope ? sql`(${n.ticketId} is null or exists (select 1 from ${tickets} where ${tickets.id} = ${n.ticketId} and ${scope}))` : undefined,
        after ? sql`(${n.createdAt}, ${n.id}) < (${after.value}::timestamptz, ${after.id}::uuid)` : undefined,
      ),
    )
    .orderBy(desc(n.createdAt), desc(n.id))
    .limit(opts.limit + 1);
  const page = rows.slice(0, opts.limit);
  const last = page.at(-1);
  return {
    data: page.map(({ row }) => ({
      id: row.id,
      kind: row.kind,
      ticketId: row.ticketId,
      data: row.data,
      createdAt: row.createdAt.toISOString(),
      readAt: row.readAt ? row.readAt.toISOString() : null,
    })),
    nextCursor: rows.length > opts.limit && last ? encodeCursor('notifications', last.at, last.row.id) : null,
  };
}

export async function markNotificationsRead(ctx: AppContext, actor: Actor, ids: string[]) {
  if (!ids.length) return 0;
  const done = await ctx.db
    .update(staffNotifications)
    .set({ readAt: ctx.clock.now() })
    .where(and(eq(staffNotifications.userId, actor.userId), inArray(staffNotifications.id, ids), sql`${staffNotifications.readAt} is null`))
    .returning({ id: staffNotifications.id });
  return done.length;
}

import { inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import { canSeeTicket } from '../../modules/tickets/tickets.policy.js';
import { tickets } from '../../modules/tickets/tickets.table.js';
import type { AppContext } from '../context.js';
import { isStaff, type Actor } from '../permissions.js';

/** Presence travels on its own channel so ticket-event listeners never see it. */
export const PRESENCE_CHANNEL = 'frontline_presence';

/** What a browser may say: "I have this ticket open" (null: none), "I am typing on it", "I left it". */
export const presenceMessage = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('viewing'), ticketId: z.uuid().nullable() }),
  z.object({ kind: z.literal('typing'), ticketId: z.uuid() }),
  z.object({ kind: z.literal('left'), ticketId: z.uuid() }),
]);
export type PresenceMessage = z.infer<typeof presenceMessage>;

/** One agent's presence on one ticket, as fanned out to every node. */
export type PresenceNotice = {
  kind: 'viewing' | 'typing' | 'left';
  ticketId: string;
  user: { id: string; name: string };
  /** The connection it came from, so that connection is not told about itself. */
  from: string;
};

export function parsePresence(raw: string): PresenceMessage | null {
  if (!raw.startsWith('{') || raw.length > 1000) return null;
  try {
    const parsed = presenceMessage.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

type TicketScope = { teamId: string | null; assigneeId: string | null; requesterId: string };

/** The scope of each of these tickets, in one statement; absent ones are missing from the map. */
export async function ticketScopes(ctx: AppContext, ticketIds: string[]): Promise<Map<string, TicketScope>> {
  if (!ticketIds.length) return new Map();
  const rows = await ctx.db
    .select({ id: tickets.id, teamId: tickets.teamId, assigneeId: tickets.assigneeId, requesterId: tickets.requesterId })
    .from(tickets)
    .where(inArray(tickets.id, ticketIds));
  return new Map(rows.map(({ id, ...scope }) => [id, scope]));
}

/** Only staff who may see the ticket announce themselves on it and hear others; customers never appear. */
export function mayShowPresence(actor: Actor, scope: TicketScope | undefined): boolean {
  return isStaff(actor) && !!scope && canSeeTicket(actor, scope);
}

export async function publishPresence(ctx: AppContext, notice: PresenceNotice): Promise<void> {
  await ctx.db.execute(sql`select pg_notify(${PRESENCE_CHANNEL}, ${JSON.stringify(notice)})`);
}

import { and, inArray } from 'drizzle-orm';
import type { AppContext } from '../../platform/context.js';
import { seesAllTickets, type Actor } from '../../platform/permissions.js';
import { visibleTickets } from './tickets.policy.js';
import { tickets } from './tickets.table.js';

type Data = Record<string, unknown>;
const idIn = (v: unknown) => (v && typeof v === 'object' && typeof (v as { id?: unknown }).id === 'string' ? (v as { id: string }).id : undefined);
const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

/** History rows that name another ticket: where its id is, and what to leave out for a reader who may not see it. */
const links: Record<string, { id: (d: Data) => string | undefined; hide: string[] }> = {
  'ticket.follow_up_created': { id: (d) => idIn(d.followUp), hide: ['followUp'] },
  'ticket.created': { id: (d) => idIn(d.followUpOf), hide: ['followUpOf'] },
  'ticket.merged': { id: (d) => str(d.into), hide: ['into', 'intoNumber'] },
  'ticket.merge_received': { id: (d) => str(d.from), hide: ['from', 'fromNumber'] },
};

/**
 * The data without the other ticket it names, or undefined when it names none. A socket cannot ask
 * the database per event, so staff who do not see every ticket hear a merge or follow-up without
 * it, and read it in the timeline when they may.
 */
export function withoutLinkedTicket(type: string, data: Data): Data | undefined {
  const link = links[type];
  if (!link || !link.id(data ?? {})) return undefined;
  return Object.fromEntries(Object.entries(data).filter(([k]) => !link.hide.includes(k)));
}

/** Which of these tickets the actor may open (no query for a role that sees every ticket). */
async function openable(ctx: AppContext, actor: Actor, ids: string[]): Promise<(id: string) => boolean> {
  if (actor.role !== 'customer' && seesAllTickets(actor.role)) return () => true;
  const seen = new Set<string>();
  if (ids.length) {
    const rows = await ctx.db.select({ id: tickets.id }).from(tickets).where(and(inArray(tickets.id, [...new Set(ids)]), visibleTickets(actor)));
    for (const r of rows) seen.add(r.id);
  }
  return (id) => seen.has(id);
}

/**
 * A merged ticket names the one it went into (`mergedIntoId`): to a reader who may not open that
 * one it is null, as the timeline leaves it out. Returns the tickets, changed where needed.
 */
export async function withMergeTargetsShown<T extends { mergedIntoId: string | null }>(ctx: AppContext, actor: Actor, list: T[]): Promise<T[]> {
  const targets = list.map((t) => t.mergedIntoId).filter((id): id is string => !!id);
  if (!targets.length) return list;
  const mayOpen = await openable(ctx, actor, targets);
  return list.map((t) => (t.mergedIntoId && !mayOpen(t.mergedIntoId) ? { ...t, mergedIntoId: null } : t));
}

/**
 * A timeline names other tickets (a follow-up, a merge); a reader who may not open one does not
 * learn its id or number from here. Returns a function giving each event's data as the reader may see it.
 */
export async function linkedTicketFilter(ctx: AppContext, actor: Actor, events: { type: string; data: Data }[]) {
  const linked = [...new Set(events.map((e) => links[e.type]?.id(e.data ?? {})).filter((id): id is string => !!id))];
  const mayOpen = await openable(ctx, actor, linked);
  return (type: string, data: Data): Data => {
    const link = links[type];
    const id = link?.id(data ?? {});
    if (!link || !id || mayOpen(id)) return data;
    return Object.fromEntries(Object.entries(data).filter(([k]) => !link.hide.includes(k)));
  };
}

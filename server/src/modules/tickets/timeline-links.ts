import { and, inArray } from 'drizzle-orm';
import type { AppContext } from '../../platform/context.js';
import type { Actor } from '../../platform/permissions.js';
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
 * A timeline names other tickets (a follow-up, a merge); a reader who may not open one does not
 * learn its id or number from here. Returns a function giving each event's data as the reader may see it.
 */
export async function linkedTicketFilter(ctx: AppContext, actor: Actor, events: { type: string; data: Data }[]) {
  const linked = [...new Set(events.map((e) => links[e.type]?.id(e.data ?? {})).filter((id): id is string => !!id))];
  const seen = new Set<string>();
  if (linked.length) {
    const rows = await ctx.db.select({ id: tickets.id }).from(tickets).where(and(inArray(tickets.id, linked), visibleTickets(actor)));
    for (const r of rows) seen.add(r.id);
  }
  return (type: string, data: Data): Data => {
    const link = links[type];
    const id = link?.id(data ?? {});
    if (!link || !id || seen.has(id)) return data;
    return Object.fromEntries(Object.entries(data).filter(([k]) => !link.hide.includes(k)));
  };
}

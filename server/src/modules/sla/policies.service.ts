import { asc, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { customers, organizations } from '../customers/customers.table.js';
import type { tickets } from '../tickets/tickets.table.js';
import { slaPolicies, type SlaConditions } from './sla.table.js';

type Ticket = typeof tickets.$inferSelect;
export type SlaPolicy = typeof slaPolicies.$inferSelect;

/** Who asked, as policies see them: their organization and service tier. */
export type Requester = { organizationId: string | null; tier: string | null };

/** Every listed condition must hold; an empty or missing list matches anything. */
export function policyMatches(c: SlaConditions, t: Ticket, requester: Requester): boolean {
  const within = (list: string[] | undefined, value: string | null) => !list?.length || (value !== null && list.includes(value));
  return (
    within(c.channels, t.channel) &&
    within(c.priorities, t.priority) &&
    within(c.categories, t.category) &&
    within(c.teamIds, t.teamId) &&
    within(c.organizationIds, requester.organizationId) &&
    within(c.tiers, requester.tier) &&
    (!c.tags?.length || c.tags.some((tag) => t.tags.includes(tag)))
  );
}

/** The first active policy, by position, that matches. Policies are few; tickets are many. */
export async function matchPolicy(tx: DbOrTx, ticket: Ticket): Promise<SlaPolicy | null> {
  const policies = await tx.select().from(slaPolicies).where(eq(slaPolicies.active, true)).orderBy(asc(slaPolicies.position), asc(slaPolicies.createdAt));
  let requester: Requester | undefined;
  for (const p of policies) {
    if ((p.conditions.organizationIds?.length || p.conditions.tiers?.length) && !requester) requester = await requesterOf(tx, ticket.requesterId);
    if (policyMatches(p.conditions, ticket, requester ?? { organizationId: null, tier: null })) return p;
  }
  return null;
}

async function requesterOf(tx: DbOrTx, customerId: string): Promise<Requester> {
  const [row] = await tx
    .select({ organizationId: customers.organizationId, tier: sql<string | null>`coalesce(${customers.tier}, ${organizations.tier})` })
    .from(customers)
    .leftJoin(organizations, eq(organizations.id, customers.organizationId))
    .where(eq(customers.id, customerId));
  return { organizationId: row?.organizationId ?? null, tier: row?.tier ?? null };
}

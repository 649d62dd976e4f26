import { eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { customers, organizations } from '../customers/customers.table.js';
import type { tickets } from '../tickets/tickets.table.js';
import type { SlaPolicy } from './routing-settings.js';
import type { SlaConditions } from './sla.table.js';

type Ticket = typeof tickets.$inferSelect;

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

/** Whether matching needs to know the requester (their organization or tier). */
export const policiesAskAboutRequester = (policies: SlaPolicy[]) => policies.some((p) => p.conditions.organizationIds?.length || p.conditions.tiers?.length);

/** The first of the active policies (in position order) that matches; the requester is read only when a policy asks about them. */
export async function matchPolicy(tx: DbOrTx, policies: SlaPolicy[], ticket: Ticket): Promise<SlaPolicy | null> {
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

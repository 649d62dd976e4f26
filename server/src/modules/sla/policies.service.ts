import { and, asc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { customers } from '../customers/customers.table.js';
import type { tickets } from '../tickets/tickets.table.js';
import { slaPolicies, type SlaConditions } from './sla.table.js';

type Ticket = typeof tickets.$inferSelect;
export type SlaPolicy = typeof slaPolicies.$inferSelect;

/** Every listed condition must hold; an empty or missing list matches anything. */
export function policyMatches(c: SlaConditions, t: Ticket, organizationId: string | null): boolean {
  const within = (list: string[] | undefined, value: string | null) => !list?.length || (value !== null && list.includes(value));
  return (
    within(c.channels, t.channel) &&
    within(c.priorities, t.priority) &&
    within(c.categories, t.category) &&
    within(c.teamIds, t.teamId) &&
    within(c.organizationIds, organizationId) &&
    (!c.tags?.length || c.tags.some((tag) => t.tags.includes(tag)))
  );
}

/** The first active policy, by position, that matches. Policies are few; tickets are many. */
export async function matchPolicy(tx: DbOrTx, ticket: Ticket): Promise<SlaPolicy | null> {
  const policies = await tx.select().from(slaPolicies).where(eq(slaPolicies.active, true)).orderBy(asc(slaPolicies.position), asc(slaPolicies.createdAt));
  let organizationId: string | null | undefined;
  for (const p of policies) {
    if (p.conditions.organizationIds?.length && organizationId === undefined) {
      const [c] = await tx.select({ org: customers.organizationId }).from(customers).where(and(eq(customers.id, ticket.requesterId)));
      organizationId = c?.org ?? null;
    }
    if (policyMatches(p.conditions, ticket, organizationId ?? null)) return p;
  }
  return null;
}

import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.js';
import { JOBS_CHANNEL } from './jobs/jobs.js';
import type { Actor } from './permissions.js';

export const EVENTS_CHANNEL = 'frontline_events';

/** Who may see an event: enough to filter realtime pushes without a query. */
export type EventScope = { ticketId: string; teamId: string | null; assigneeId: string | null; requesterId: string };

export type TicketEventInput = {
  type: string;
  actor?: Actor | null;
  actorCustomerId?: string | null;
  data?: Record<string, unknown>;
  /** Internal events (notes) never reach customers. */
  internal?: boolean;
  at: Date;
};

export type PublishedEvent = EventScope & {
  id: number;
  type: string;
  internal: boolean;
  at: string;
  data: Record<string, unknown>;
};

export type TicketEventHook = (tx: DbOrTx, scope: EventScope, e: TicketEventInput) => Promise<void>;
const eventHooks: TicketEventHook[] = [];

/** Lets a module act inside the transaction that records an event (the email outbox does). */
export function onTicketEvent(hook: TicketEventHook) {
  if (!eventHooks.includes(hook)) eventHooks.push(hook);
}

/**
 * Writes one history row, and in the same statement: tells every app node (NOTIFY is delivered
 * only if the transaction commits) and queues webhook delivery when any webhook is active.
 */
export async function recordTicketEvent(tx: DbOrTx, scope: EventScope, e: TicketEventInput): Promise<number> {
  const data = e.data ?? {};
  const actorUserId = e.actor?.role === 'customer' ? null : (e.actor?.userId ?? null);
  const actorCustomerId = e.actorCustomerId ?? (e.actor?.role === 'customer' ? e.actor.customerId : null);
  // Keep the NOTIFY payload small (PostgreSQL caps it at 8000 bytes): large data is read from the row.
  const dataJson = JSON.stringify(data);
  const pushData = dataJson.length < 2000 ? data : { truncated: true };
  const result = await tx.execute(sql`
    with ev as (
      insert into ticket_events (ticket_id, type, actor_user_id, actor_customer_id, data, created_at)
      values (${scope.ticketId}, ${e.type}, ${actorUserId}, ${actorCustomerId}, ${dataJson}::jsonb, ${e.at.toISOString()}::timestamptz)
      returning id
    ),
    pushed as (
      select pg_notify(${EVENTS_CHANNEL}, json_build_object(
        'id', ev.id, 'type', ${e.type}::text, 'ticketId', ${scope.ticketId}::uuid, 'teamId', ${scope.teamId}::uuid,
        'assigneeId', ${scope.assigneeId}::uuid, 'requesterId', ${scope.requesterId}::uuid,
        'internal', ${e.internal ?? false}::boolean, 'at', ${e.at.toISOString()}::text,
        'data', ${JSON.stringify(pushData)}::json)::text) as ok from ev
    ),
    queued as (
      -- Due at the event's time (the injected clock), never later than now: a future 'at' must not hold it back.
      insert into jobs (name, payload, run_at)
      select 'webhooks.dispatch', json_build_object('eventId', ev.id)::jsonb, least(${e.at.toISOString()}::timestamptz, now()) from ev
      where exists (select 1 from webhooks where active)
      returning id
    ),
    woke as (select pg_notify(${JOBS_CHANNEL}, '') as ok from queued limit 1)
    select ev.id, (select count(*) from pushed) as pushed, (select count(*) from queued) as queued, (select count(*) from woke) as woke from ev
  `);
  for (const hook of eventHooks) await hook(tx, scope, e);
  return Number((result.rows[0] as { id: string | number }).id);
}

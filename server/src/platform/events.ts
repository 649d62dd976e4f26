import { sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.js';
import { JOBS_CHANNEL } from './jobs/jobs.js';
import type { Actor } from './permissions.js';

export const EVENTS_CHANNEL = 'frontline_events';

/** Who may see an event: enough to filter realtime pushes without a query. */
export type EventScope = { ticketId: string; teamId: string | null; assigneeId: string | null; requesterId: string };

/** Every kind of history row: what the timeline shows and what a webhook may ask for. */
export const ticketEventTypes = [
  'ticket.created',
  'ticket.subject_changed',
  'ticket.status_changed',
  'ticket.priority_changed',
  'ticket.category_changed',
  'ticket.tags_changed',
  'ticket.team_changed',
  'ticket.assigned',
  'ticket.merged',
  'ticket.merge_received',
  'ticket.escalation_requested',
  'ticket.escalated',
  'ticket.follow_up_created',
  'message.added',
  'note.added',
  'sla.warning',
  'sla.breached',
  'followup.promised',
  'followup.kept',
  'followup.reminder',
  'followup.missed',
  'customer.notified',
  'email.bounced',
  'email.send_failed',
] as const;
export type TicketEventType = (typeof ticketEventTypes)[number];

/**
 * What a customer's socket may hear: these types only, each with only these data fields. Every other
 * type (assignment, team, priority, tags, SLA, escalation, delivery) stays with staff even when a
 * caller forgets `internal`; a new type is staff-only until it is listed here.
 */
export const customerEventData: Partial<Record<TicketEventType, readonly string[]>> = {
  'ticket.created': ['number'],
  'ticket.subject_changed': ['field', 'from', 'to'],
  'ticket.status_changed': ['field', 'from', 'to'],
  'ticket.merged': [],
  'ticket.merge_received': [],
  'ticket.follow_up_created': [],
  'message.added': ['messageId'],
};

export type TicketEventInput = {
  type: TicketEventType;
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
const eventHooks: { run: TicketEventHook; types?: string[] }[] = [];

/** Lets a module act inside the transaction that records an event (the email outbox does); `types`: only events of these types. */
export function onTicketEvent(hook: TicketEventHook, types?: string[]) {
  if (!eventHooks.some((h) => h.run === hook)) eventHooks.push({ run: hook, types });
}

/**
 * The CTEs that write one history row and, with it, tell every app node (NOTIFY is delivered only
 * if the transaction commits) and queue webhook delivery when any webhook is active. `ev` returns
 * the row; `effects` must appear in the caller's final select (a CTE that is not read does not run).
 * `from`/`data`/`requesterId` let a statement that inserts the ticket too write the event only when
 * it did, with values from that insert (the ticket number, the requester it found).
 */
export function ticketEventSql(scope: EventScope, e: TicketEventInput, opts: { from?: SQL; data?: SQL; requesterId?: SQL } = {}): { ctes: SQL; effects: SQL } {
  const actorUserId = e.actor?.role === 'customer' ? null : (e.actor?.userId ?? null);
  const actorCustomerId = e.actorCustomerId ?? (e.actor?.role === 'customer' ? e.actor.customerId : null);
  const data = opts.data ? sql`(${JSON.stringify(e.data ?? {})}::jsonb || ${opts.data})` : sql`${JSON.stringify(e.data ?? {})}::jsonb`;
  const at = sql`${e.at.toISOString()}::timestamptz`;
  const ctes = sql`ev as (
      insert into ticket_events (ticket_id, type, actor_user_id, actor_customer_id, data, created_at)
      select ${scope.ticketId}::uuid, ${e.type}, ${actorUserId}::uuid, ${actorCustomerId}::uuid, ${data}, ${at}
      ${opts.from ? sql`from ${opts.from}` : sql``}
      returning id, data
    ),
    ev_pushed as (
      -- Kept small (PostgreSQL caps a NOTIFY at 8000 bytes): large data is read from the row.
      select pg_notify(${EVENTS_CHANNEL}, json_build_object(
        'id', ev.id, 'type', ${e.type}::text, 'ticketId', ${scope.ticketId}::uuid, 'teamId', ${scope.teamId}::uuid,
        'assigneeId', ${scope.assigneeId}::uuid, 'requesterId', ${opts.requesterId ?? sql`${scope.requesterId}::uuid`},
        'internal', ${e.internal ?? false}::boolean, 'at', ${e.at.toISOString()}::text,
        'data', case when length(ev.data::text) < 2000 then ev.data else '{"truncated": true}'::jsonb end)::text) as ok from ev
    ),
    ev_queued as (
      -- Due at the event's time (the injected clock), never later than now: a future 'at' must not hold it back.
      insert into jobs (name, payload, run_at)
      select 'webhooks.dispatch', json_build_object('eventId', ev.id)::jsonb, least(${at}, now()) from ev
      where exists (select 1 from webhooks where active)
      returning id
    ),
    ev_woke as (select pg_notify(${JOBS_CHANNEL}, '') as ok from ev_queued limit 1)`;
  return { ctes, effects: sql`(select count(*) from ev_pushed) + (select count(*) from ev_woke)` };
}

/** Writes one history row in one statement (see ticketEventSql), then runs the modules' event hooks in the same transaction. */
export async function recordTicketEvent(tx: DbOrTx, scope: EventScope, e: TicketEventInput): Promise<number> {
  const { ctes, effects } = ticketEventSql(scope, e);
  const result = await tx.execute(sql`with ${ctes} select ev.id, ${effects} as effects from ev`);
  await runTicketEventHooks(tx, scope, e);
  return Number((result.rows[0] as { id: string | number }).id);
}

export async function runTicketEventHooks(tx: DbOrTx, scope: EventScope, e: TicketEventInput) {
  for (const hook of eventHooks) if (!hook.types || hook.types.includes(e.type)) await hook.run(tx, scope, e);
}

/** Whether some module acts on events of this type (a statement that writes one without a transaction must not skip them). */
export const hasTicketEventHooks = (type: string) => eventHooks.some((h) => !h.types || h.types.includes(type));

import crypto from 'node:crypto';
import { and, desc, eq, lt } from 'drizzle-orm';
import type { AppContext } from '../../platform/context.js';
import { decodeIdCursor, encodeIdCursor } from '../../platform/cursor.js';
import { badRequest, notFound } from '../../platform/errors.js';
import { enqueue } from '../../platform/jobs/jobs.js';
import type { JobHandlers } from '../../platform/jobs/runner.js';
import { ticketEvents, tickets } from '../tickets/tickets.table.js';
import { refusedDestination } from './destination.js';
import { postJson } from './post.js';
import { webhookDeliveries, webhooks } from './webhooks.table.js';

type HookRow = typeof webhooks.$inferSelect;

export const presentWebhook = (h: HookRow) => ({ id: h.id, url: h.url, events: h.events, active: h.active, createdAt: h.createdAt.toISOString() });

/** `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`, the scheme Stripe made familiar. */
export function signPayload(secret: string, body: string, timestamp: number) {
  const mac = crypto.createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return `t=${timestamp},v1=${mac}`;
}

export async function createWebhook(ctx: AppContext, input: { url: string; events: string[] }) {
  const refused = await refusedDestination(input.url, ctx.config.webhooksAllowInternal);
  if (refused) {
    throw badRequest('internal_destination', `url: ${refused}; set FRONTLINE_WEBHOOKS_ALLOW_INTERNAL=1 to allow internal receivers`, { field: 'url' });
  }
  const secret = `whsec_${crypto.randomBytes(24).toString('base64url')}`;
  const [row] = await ctx.db.insert(webhooks).values({ url: input.url, events: input.events, secret }).returning();
  // The secret is shown once, at creation.
  return { ...presentWebhook(row), secret };
}

export async function deleteWebhook(ctx: AppContext, id: string) {
  const rows = await ctx.db.delete(webhooks).where(eq(webhooks.id, id)).returning({ id: webhooks.id });
  if (!rows.length) throw notFound('Webhook');
}

export async function listWebhooks(ctx: AppContext) {
  return { data: (await ctx.db.select().from(webhooks).orderBy(desc(webhooks.createdAt))).map(presentWebhook) };
}

/** A webhook's attempts, newest first by id, a page at a time; a cursor made for another webhook is refused. */
export async function listDeliveries(ctx: AppContext, id: string, q: { limit: number; cursor?: string }) {
  const [hook] = await ctx.db.select({ id: webhooks.id }).from(webhooks).where(eq(webhooks.id, id));
  if (!hook) throw notFound('Webhook');
  const after = q.cursor ? decodeIdCursor(q.cursor, 'deliveries', id) : undefined;
  const rows = await ctx.db
    .select()
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.webhookId, id), after !== undefined ? lt(webhookDeliveries.id, after) : undefined))
    .orderBy(desc(webhookDeliveries.id))
    .limit(q.limit + 1);
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return {
    data: page.map((d) => ({ id: d.id, eventId: d.eventId, statusCode: d.statusCode, error: d.error, deliveredAt: d.deliveredAt.toISOString() })),
    nextCursor: rows.length > q.limit && last ? encodeIdCursor('deliveries', last.id, id) : null,
  };
}

/** Jobs: one fans an event out to the hooks that want it, one per hook delivers it and retries on failure. */
export function webhookJobs(ctx: AppContext): JobHandlers {
  return {
    'webhooks.dispatch': async ({ eventId }: { eventId: number }) => {
      const [event] = await ctx.db.select({ type: ticketEvents.type }).from(ticketEvents).where(eq(ticketEvents.id, eventId));
      if (!event) return;
      const hooks = await ctx.db.select().from(webhooks).where(eq(webhooks.active, true));
      for (const hook of hooks.filter((h) => !h.events.length || h.events.includes(event.type))) {
        await enqueue(ctx.db, 'webhooks.deliver', { webhookId: hook.id, eventId }, { dedupeKey: `webhook:${hook.id}:${eventId}`, runAt: ctx.clock.now() });
      }
    },
    'webhooks.deliver': async ({ webhookId, eventId }: { webhookId: string; eventId: number }) => {
      const [hook] = await ctx.db.select().from(webhooks).where(eq(webhooks.id, webhookId));
      const [row] = await ctx.db
        .select({ event: ticketEvents, number: tickets.number })
        .from(ticketEvents)
        .innerJoin(tickets, eq(tickets.id, ticketEvents.ticketId))
        .where(eq(ticketEvents.id, eventId));
      if (!hook || !hook.active || !row) return;
      const body = JSON.stringify({
        id: row.event.id,
        type: row.event.type,
        ticketId: row.event.ticketId,
        ticketNumber: row.number,
        actorUserId: row.event.actorUserId,
        actorCustomerId: row.event.actorCustomerId,
        data: row.event.data,
        createdAt: row.event.createdAt.toISOString(),
      });
      const timestamp = Math.floor(ctx.clock.now().getTime() / 1000);
      let statusCode: number | null = null;
      let error: string | null = null;
      try {
        // Checked again as each delivery connects: a name can start resolving to an internal address later.
        statusCode = await postJson(
          hook.url,
          {
            'content-type': 'application/json',
            'user-agent': 'Frontline-Webhooks/1',
            'x-frontline-event': row.event.type,
            'x-frontline-delivery': `${hook.id}:${eventId}`,
            'x-frontline-signature': signPayload(hook.secret, body, timestamp),
          },
          body,
          { allowInternal: ctx.config.webhooksAllowInternal, timeoutMs: 10_000 },
        );
        if (statusCode < 200 || statusCode > 299) error = `HTTP ${statusCode}`;
      } catch (err) {
        error = err instanceof Error ? err.message : String(err);
      }
      await ctx.db.insert(webhookDeliveries).values({ webhookId, eventId, statusCode, error, deliveredAt: ctx.clock.now() });
      // Only the origin: hook URLs often carry a token in the path or query, and this message is logged.
      if (error) throw new Error(`webhook ${hook.id} (${new URL(hook.url).origin}): ${error}`);
    },
  };
}

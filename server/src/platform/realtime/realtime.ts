import type { FastifyInstance } from 'fastify';
import type { WebSocket } from 'ws';
import { canSeeTicket } from '../../modules/tickets/tickets.policy.js';
import { withoutLinkedTicket } from '../../modules/tickets/timeline-links.js';
import { actorOf, SESSION_COOKIE } from '../auth/auth.hook.js';
import { authenticateAll, onCredentialsChanged } from '../auth/auth.service.js';
import type { AppContext } from '../context.js';
import { AppError } from '../errors.js';
import { customerEventData, EVENTS_CHANNEL, type PublishedEvent, type TicketEventType } from '../events.js';
import { seesAllTickets, type Actor } from '../permissions.js';
import { randomUUID } from 'node:crypto';
import { mayShowPresence, parsePresence, ticketScopes, PRESENCE_CHANNEL, publishPresence, type PresenceNotice } from './presence.js';

/** `viewing` is the ticket this connection has open, for presence (who else is looking, who is typing). */
type Client = { socket: WebSocket; actor: Actor; id: string; viewing: string | null; token: string; queue: Promise<void> };

/**
 * How often open sockets re-check their session anyway: expiry, and a change notice this node missed
 * while its listening connection was down. Sign-outs, deactivations, role and team changes made on any
 * node are rechecked within RECHECK_SOON_MS of their notice (credentials-notice.ts).
 */
const RECHECK_MS = 60_000;
export const RECHECK_SOON_MS = 500;

/** The host of an Origin header; `null` (sandboxed pages) and garbage match no host. */
function hostOf(origin: string): string | null {
  try {
    return new URL(origin).host || null;
  } catch {
    return null;
  }
}

/**
 * The event as a customer may hear it (customerEventData), or undefined when it is for staff only.
 * Without the team and assignee: which agent or team holds a request is the desk's business.
 */
function forCustomer(event: PublishedEvent) {
  const keys = customerEventData[event.type as TicketEventType];
  if (event.internal || !keys) return undefined;
  const data = Object.fromEntries(keys.filter((k) => event.data && k in event.data).map((k) => [k, event.data[k]]));
  return { id: event.id, type: event.type, ticketId: event.ticketId, requesterId: event.requesterId, internal: false, at: event.at, data };
}

/**
 * Pushes ticket events to connected browsers. Every node LISTENs on the same PostgreSQL channel,
 * so an event committed on any node reaches sockets on all of them; each is filtered by what
 * its user may see.
 */
export class RealtimeHub {
  private clients = new Set<Client>();
  private unlisten: (() => Promise<void>) | undefined;
  private unlistenPresence: (() => Promise<void>) | undefined;
  private following: Promise<void> = Promise.resolve();

  constructor(private readonly ctx: AppContext) {}

  private recheckTimer: NodeJS.Timeout | undefined;
  private soonTimer: NodeJS.Timeout | undefined;
  private offCredentials: (() => void) | undefined;

  async start() {
    this.recheckTimer = setInterval(() => this.recheckQuietly(), RECHECK_MS);
    this.recheckTimer.unref();
    // A write on any node that may change who may do what: sockets learn it in half a second, not a
    // minute. Writes in a burst share one recheck.
    this.offCredentials = onCredentialsChanged(() => {
      if (this.soonTimer || !this.clients.size) return;
      this.soonTimer = setTimeout(() => {
        this.soonTimer = undefined;
        this.recheckQuietly();
      }, RECHECK_SOON_MS);
      this.soonTimer.unref();
    });
  }

  private recheckQuietly() {
    this.recheck().catch((err) => this.ctx.log.warn({ err }, 'realtime session check failed'));
  }

  async stop() {
    clearInterval(this.recheckTimer);
    clearTimeout(this.soonTimer);
    this.offCredentials?.();
    for (const c of this.clients) c.socket.close(1001, 'server shutting down');
    this.clients.clear();
    await this.follow();
  }

  /**
   * Listens for events only while this node has sockets: every notice costs the database and this
   * process a wake-up, which a node serving only the API or running jobs need not pay.
   */
  private follow() {
    this.following = this.following
      .then(async () => {
        if (this.clients.size && !this.unlisten) {
          this.unlisten = await this.ctx.database.listen(EVENTS_CHANNEL, (payload) => this.deliver(payload));
          this.unlistenPresence = await this.ctx.database.listen(PRESENCE_CHANNEL, (payload) => this.deliverPresence(payload));
        } else if (!this.clients.size && this.unlisten) {
          const stops = [this.unlisten, this.unlistenPresence];
          this.unlisten = this.unlistenPresence = undefined;
          for (const stop of stops) await stop?.();
        }
      })
      .catch((err) => this.ctx.log.warn({ err }, 'realtime could not follow events'));
    return this.following;
  }

  get size() {
    return this.clients.size;
  }

  /** Closes sockets whose session or token no longer authenticates; refreshes the others' teams and role. */
  async recheck() {
    const open = [...this.clients];
    if (!open.length) return;
    const byToken = await authenticateAll(this.ctx, [...new Set(open.map((c) => c.token))]);
    for (const c of open) {
      const found = byToken.get(c.token);
      if (!found) {
        this.clients.delete(c);
        c.socket.close(4401, 'session ended');
      } else {
        c.actor = found.actor;
      }
    }
    // Moved out of the ticket's team or demoted: they stop hearing and being heard on it, as with its events.
    const viewed = [...new Set(open.map((c) => c.viewing).filter((id): id is string => !!id))];
    const scopes = await ticketScopes(this.ctx, viewed);
    for (const c of open) {
      // A ticket opened meanwhile was checked against the actor as it is now.
      if (!c.viewing || !viewed.includes(c.viewing) || !this.clients.has(c)) continue;
      if (!mayShowPresence(c.actor, scopes.get(c.viewing))) this.stopViewing(c);
    }
  }

  /** Forgets the ticket this connection had open and tells the others it left. */
  private stopViewing(client: Client) {
    const ticketId = client.viewing;
    if (!ticketId) return;
    client.viewing = null;
    publishPresence(this.ctx, { kind: 'left', ticketId, user: { id: client.actor.userId, name: client.actor.name }, from: client.id }).catch((err) =>
      this.ctx.log.debug({ err }, 'presence left not sent'),
    );
  }

  private deliver(payload: string) {
    let event: PublishedEvent;
    try {
      event = JSON.parse(payload);
    } catch {
      return;
    }
    const message = JSON.stringify({ kind: 'event', event });
    let forCustomers: string | null | undefined;
    // A merge or follow-up names another ticket: staff who do not see every ticket hear it without.
    const unlinked = withoutLinkedTicket(event.type, event.data);
    const forScopedStaff = unlinked ? JSON.stringify({ kind: 'event', event: { ...event, data: unlinked } }) : message;
    const moved = event.type === 'ticket.team_changed' || event.type === 'ticket.assigned';
    for (const c of this.clients) {
      if (!canSeeTicket(c.actor, event)) {
        // The ticket went to another team or agent: whoever had it open and may no longer see it leaves its presence at once.
        if (moved && c.viewing === event.ticketId) this.stopViewing(c);
        continue;
      }
      if (c.socket.readyState !== c.socket.OPEN) continue;
      if (c.actor.role !== 'customer') {
        c.socket.send(seesAllTickets(c.actor.role) ? message : forScopedStaff);
        continue;
      }
      if (forCustomers === undefined) {
        const shown = forCustomer(event);
        forCustomers = shown ? JSON.stringify({ kind: 'event', event: shown }) : null;
      }
      if (forCustomers) c.socket.send(forCustomers);
    }
  }

  private deliverPresence(payload: string) {
    let notice: PresenceNotice;
    try {
      notice = JSON.parse(payload);
    } catch {
      return;
    }
    const message = JSON.stringify({ kind: 'presence', presence: { kind: notice.kind, ticketId: notice.ticketId, user: notice.user } });
    for (const c of this.clients) {
      if (c.viewing !== notice.ticketId || c.id === notice.from) continue;
      if (c.socket.readyState === c.socket.OPEN) c.socket.send(message);
    }
  }

  private async onPresence(client: Client, raw: string) {
    const msg = parsePresence(raw);
    if (!msg) return;
    const user = { id: client.actor.userId, name: client.actor.name };
    const announce = (kind: PresenceNotice['kind'], ticketId: string) => publishPresence(this.ctx, { kind, ticketId, user, from: client.id });
    if (msg.kind === 'viewing') {
      const previous = client.viewing;
      const scope = msg.ticketId ? (await ticketScopes(this.ctx, [msg.ticketId])).get(msg.ticketId) : undefined;
      // Checked after the read, against the actor as a recheck may just have left it.
      const next = msg.ticketId && mayShowPresence(client.actor, scope) ? msg.ticketId : null;
      if (!this.clients.has(client)) return; // closed meanwhile: its "left" is already out
      client.viewing = next;
      if (previous && previous !== next) await announce('left', previous);
      if (next) await announce('viewing', next);
    } else if (client.viewing === msg.ticketId) {
      await announce(msg.kind, msg.ticketId);
      if (msg.kind === 'left') client.viewing = null;
    }
  }

  routes() {
    return async (app: FastifyInstance) => {
      app.get(
        '/realtime',
        {
          websocket: true,
          config: { capability: 'signed_in' },
          schema: { tags: ['realtime'], summary: 'WebSocket of ticket events the caller may see' },
          preValidation: async (req) => {
            // Cookies ride along on cross-site sockets too, so a cookie session must come from our own page.
            const origin = req.headers.origin;
            if (!req.headers.authorization && origin && hostOf(origin) !== req.headers.host) {
              throw new AppError(403, 'bad_origin', 'WebSocket from another origin');
            }
          },
        },
        (socket, req) => {
          const bearer = req.headers.authorization?.split(' ')[1]?.trim();
          const token = bearer || (req.cookies?.[SESSION_COOKIE] ?? '');
          const client: Client = { socket, actor: actorOf(req), id: randomUUID(), viewing: null, token, queue: Promise.resolve() };
          this.clients.add(client);
          socket.on('close', () => {
            this.clients.delete(client);
            void this.follow();
            this.stopViewing(client);
          });
          socket.on('message', (raw) => {
            const text = raw.toString();
            if (text === 'ping') socket.send(JSON.stringify({ kind: 'pong' }));
            // One at a time per socket: "viewing A" then "viewing B" must end on B, whatever the database's pace.
            else client.queue = client.queue.then(() => this.onPresence(client, text)).catch((err) => this.ctx.log.warn({ err }, 'presence message failed'));
          });
          // Hello once this node listens: from then on, no event committed anywhere is missed.
          void this.follow().then(() => {
            if (socket.readyState === socket.OPEN) socket.send(JSON.stringify({ kind: 'hello', node: this.ctx.config.nodeId }));
          });
        },
      );
    };
  }
}

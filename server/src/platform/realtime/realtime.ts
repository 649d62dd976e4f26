import type { FastifyInstance } from 'fastify';
import type { WebSocket } from 'ws';
import { canSeeTicket } from '../../modules/tickets/tickets.policy.js';
import { actorOf } from '../auth/auth.hook.js';
import type { AppContext } from '../context.js';
import { AppError } from '../errors.js';
import { EVENTS_CHANNEL, type PublishedEvent } from '../events.js';
import type { Actor } from '../permissions.js';

type Client = { socket: WebSocket; actor: Actor };

/**
 * Pushes ticket events to connected browsers. Every node LISTENs on the same PostgreSQL channel,
 * so an event committed on any node reaches sockets on all of them; each is filtered by what
 * its user may see.
 */
export class RealtimeHub {
  private clients = new Set<Client>();
  private unlisten: (() => Promise<void>) | undefined;

  constructor(private readonly ctx: AppContext) {}

  async start() {
    this.unlisten = await this.ctx.database.listen(EVENTS_CHANNEL, (payload) => this.deliver(payload));
  }

  async stop() {
    await this.unlisten?.();
    for (const c of this.clients) c.socket.close(1001, 'server shutting down');
    this.clients.clear();
  }

  get size() {
    return this.clients.size;
  }

  private deliver(payload: string) {
    let event: PublishedEvent;
    try {
      event = JSON.parse(payload);
    } catch {
      return;
    }
    const message = JSON.stringify({ kind: 'event', event });
    for (const c of this.clients) {
      if (!canSeeTicket(c.actor, event)) continue;
      if (event.internal && c.actor.role === 'customer') continue;
      if (c.socket.readyState === c.socket.OPEN) c.socket.send(message);
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
            if (!req.headers.authorization && origin && new URL(origin).host !== req.headers.host) {
              throw new AppError(403, 'bad_origin', 'WebSocket from another origin');
            }
          },
        },
        (socket, req) => {
          const client: Client = { socket, actor: actorOf(req) };
          this.clients.add(client);
          socket.on('close', () => this.clients.delete(client));
          socket.on('message', (raw) => {
            if (raw.toString() === 'ping') socket.send(JSON.stringify({ kind: 'pong' }));
          });
          socket.send(JSON.stringify({ kind: 'hello', node: this.ctx.config.nodeId }));
        },
      );
    };
  }
}

import pg from 'pg';
import type { Listener } from './client.js';

/** What the listener's connection calls itself in pg_stat_activity, for operators and tests. */
export const LISTENER_APPLICATION_NAME = 'frontline-listen';
const FIRST_RETRY_MS = 250;
const MAX_RETRY_MS = 10_000;

/**
 * The one connection a node LISTENs on. When the server drops it, it is replaced by exactly one
 * new connection (a dropped client reports itself both by an error and by its end, and either
 * alone must not open a second), retried with backoff while the server refuses.
 */
export class ListenerConnection {
  client: pg.Client | undefined;
  private connecting: Promise<pg.Client> | undefined;
  private retry: NodeJS.Timeout | undefined;
  private failures = 0;
  private closed = false;

  constructor(
    private readonly url: string,
    private readonly listeners: Map<string, Set<Listener>>,
  ) {}

  /** Resolves once a connection listens to every channel; rejects when this attempt failed (a retry is already planned). */
  async connected(): Promise<void> {
    if (this.client || this.closed) return;
    this.connecting ??= this.open().finally(() => (this.connecting = undefined));
    await this.connecting;
  }

  async close() {
    this.closed = true;
    clearTimeout(this.retry);
    const pending = this.connecting?.catch(() => undefined);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
    await (await pending)?.end().catch(() => undefined);
  }

  private async open(): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: this.url, application_name: LISTENER_APPLICATION_NAME });
    let live = false;
    let dropped = false;
    const drop = () => {
      if (!live || dropped) return;
      dropped = true;
      if (this.client === client) this.client = undefined;
      client.end().catch(() => undefined);
      this.planRetry();
    };
    // An error before the connection is up rejects connect() below; after, it is a drop.
    client.on('error', drop);
    client.on('end', drop);
    client.on('notification', (msg) => {
      if (this.client !== client) return;
      for (const l of this.listeners.get(msg.channel) ?? []) l(msg.payload ?? '');
    });
    try {
      await client.connect();
      for (const channel of this.listeners.keys()) await client.query(`LISTEN "${channel}"`);
    } catch (err) {
      await client.end().catch(() => undefined);
      this.planRetry();
      throw err;
    }
    if (this.closed) {
      await client.end().catch(() => undefined);
      return client;
    }
    live = true;
    this.failures = 0;
    this.client = client;
    return client;
  }

  private planRetry() {
    if (this.closed || this.retry || this.connecting === undefined && this.client) return;
    const delay = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** this.failures++);
    this.retry = setTimeout(() => {
      this.retry = undefined;
      this.connected().catch(() => undefined);
    }, delay);
    this.retry.unref();
  }
}

import net from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { dbKind, freshDatabaseUrl, startDesk, type TestDesk } from './harness.js';

// /healthz must tell a load balancer the truth, quickly, when the database stops answering.
// PostgreSQL: the desk reaches its server through a relay that then goes silent (a hung server or
// network). PGlite: the embedded database is closed under the app.

/** Relays TCP to PostgreSQL until frozen; frozen, it keeps every connection open and passes nothing. */
async function relayTo(url: string) {
  const target = new URL(url);
  const sockets = new Set<net.Socket>();
  let frozen = false;
  const server = net.createServer((client) => {
    sockets.add(client);
    client.on('error', () => undefined);
    if (frozen) return;
    const upstream = net.connect(Number(target.port || 5432), target.hostname);
    sockets.add(upstream);
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.on('data', (d) => !frozen && upstream.write(d));
    upstream.on('data', (d) => !frozen && client.write(d));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const relayed = new URL(url);
  relayed.hostname = '127.0.0.1';
  relayed.port = String((server.address() as net.AddressInfo).port);
  return {
    url: relayed.toString(),
    freeze: () => (frozen = true),
    close() {
      for (const s of sockets) s.destroy();
      server.close();
    },
  };
}

let relay: Awaited<ReturnType<typeof relayTo>> | undefined;
let desk: TestDesk | undefined;
afterAll(async () => {
  relay?.close();
  await desk?.close().catch(() => undefined);
});

describe('GET /healthz', () => {
  it('answers 503 within moments when the database does not answer', { timeout: 120_000 }, async () => {
    if (dbKind === 'postgres') relay = await relayTo((await freshDatabaseUrl())!);
    desk = await startDesk({ databaseUrl: relay?.url });
    const ok = await desk.request(null, 'GET', '/healthz');
    expect(ok).toMatchObject({ status: 200, body: { status: 'ok', database: dbKind } });

    if (relay) relay.freeze();
    else await desk.ctx.database.close();
    const started = Date.now();
    const down = await desk.request(null, 'GET', '/healthz');
    expect(down).toMatchObject({ status: 503, body: { status: 'unavailable', database: dbKind, node: desk.ctx.config.nodeId } });
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

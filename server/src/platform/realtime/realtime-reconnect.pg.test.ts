import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDesk, type Account, type TestDesk } from '../../../test/harness.js';
import { openSocket } from '../../../test/realtime-client.js';

// The LISTEN connection dropped by the server (a restart, a failover, an admin's terminate): the
// node reconnects once, keeps trying while the database refuses, and delivers each event once.
// PostgreSQL only (*.pg.test.ts): PGlite has no separate listener connection.
let desk: TestDesk;
let admin: Account;
let wsUrl: string;
let dbName: string;
let superuser: pg.Client;

beforeAll(async () => {
  desk = await startDesk();
  admin = await desk.as('admin');
  await desk.app.listen({ port: 0, host: '127.0.0.1' });
  wsUrl = `ws://127.0.0.1:${(desk.app.server.address() as AddressInfo).port}/api/v1/realtime`;
  dbName = new URL(desk.databaseUrl!).pathname.slice(1);
  superuser = new pg.Client({ connectionString: process.env.FRONTLINE_TEST_DATABASE_URL });
  await superuser.connect();
});
afterAll(async () => {
  await superuser?.query(`alter database ${dbName} allow_connections true`).catch(() => undefined);
  await superuser?.end();
  await desk?.close();
});

/** The desk's listener connections (their last statement is a LISTEN). */
async function listeners() {
  const res = await superuser.query(`select pid, backend_start from pg_stat_activity where datname = $1 and query ilike 'LISTEN%'`, [dbName]);
  return res.rows as { pid: number; backend_start: Date }[];
}
async function terminateListeners() {
  const before = await listeners();
  expect(before.length).toBeGreaterThan(0);
  await superuser.query(`select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and query ilike 'LISTEN%'`, [dbName]);
  return before.map((r) => r.pid);
}
/** Waits until a new listener connection has replaced the terminated ones and has gone quiet. */
async function listenerBack(gone: number[], timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const now = (await listeners()).filter((r) => !gone.includes(r.pid));
    if (now.length) {
      // Every channel is listened to in turn on connect: give the last LISTEN time to land.
      await new Promise((r) => setTimeout(r, 500));
      return;
    }
    if (Date.now() > deadline) throw new Error('the listener did not come back');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('realtime across a dropped LISTEN connection', () => {
  it('reconnects, retries while the database refuses, and pushes each event once', { timeout: 120_000 }, async () => {
    const socket = await openSocket(wsUrl, admin.headers);
    try {
      let gone = await terminateListeners();
      await listenerBack(gone);
      gone = [...gone, ...(await terminateListeners())];
      await listenerBack(gone);

      // Down for a while: new connections are refused, and the node must keep trying.
      await superuser.query(`alter database ${dbName} allow_connections false`);
      gone = [...gone, ...(await terminateListeners())];
      await new Promise((r) => setTimeout(r, 3000));
      await superuser.query(`alter database ${dbName} allow_connections true`);
      await listenerBack(gone);

      expect(await listeners()).toHaveLength(1);
      const res = await desk.request(admin, 'POST', '/api/v1/tickets', { channel: 'chat', subject: 'После переподключения', requester: { email: 'again@example.ru' }, body: 'Alô?' });
      expect(res.status).toBe(201);
      await socket.next((m) => m.event?.type === 'ticket.created' && m.event.ticketId === res.body.id);
      // A duplicate would come right behind the first.
      await new Promise((r) => setTimeout(r, 1000));
      expect(socket.messages.filter((m) => m.event?.type === 'ticket.created' && m.event.ticketId === res.body.id)).toHaveLength(1);
    } finally {
      socket.close();
    }
  });
});

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, spawnApp, type AppProcess } from './app-process.js';
import { freshDatabaseUrl } from './harness.js';
import { openSocket } from './realtime-client.js';
import { tempFolders } from './temp-folders.js';

// Two real app processes on one PostgreSQL database: the cluster the product promises.
// Only part of the PostgreSQL pass (vitest.config.ts includes *.pg.test.ts there): PGlite is one process.

const ADMIN = { email: 'ops@example.com', password: 'cluster admin password' };
const folders = tempFolders('cluster');
let databaseUrl: string;
let a: AppProcess;
let b: AppProcess;
let tokenA: string;
let tokenB: string;

/** Receives webhook deliveries; answers after a short pause so both nodes' runners get a share of the work. */
const received: { delivery: string; event: string; body: any }[] = [];
const receiver = http.createServer((req, res) => {
  let text = '';
  req.on('data', (d: Buffer) => (text += d.toString()));
  req.on('end', () => {
    received.push({ delivery: String(req.headers['x-frontline-delivery']), event: String(req.headers['x-frontline-event']), body: JSON.parse(text) });
    setTimeout(() => {
      res.statusCode = 204;
      res.end();
    }, 20);
  });
});

async function until<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  databaseUrl = (await freshDatabaseUrl())!;
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const env = (node: string) => ({
    DATABASE_URL: databaseUrl,
    FRONTLINE_NODE_ID: node,
    FRONTLINE_DATA_DIR: folders.make(),
    FRONTLINE_ADMIN_EMAIL: ADMIN.email,
    FRONTLINE_ADMIN_PASSWORD: ADMIN.password,
    // The webhook receiver of this test listens on 127.0.0.1.
    FRONTLINE_WEBHOOKS_ALLOW_INTERNAL: '1',
    LOG_LEVEL: 'warn',
  });
  // Both start at once: they race to migrate and to create the first admin.
  [a, b] = await Promise.all([spawnApp(env('node-a')), spawnApp(env('node-b'))]);
  const [ha, hb] = await Promise.all([a.waitHealthy(), b.waitHealthy()]);
  expect(ha).toMatchObject({ node: 'node-a', database: 'postgres' });
  expect(hb).toMatchObject({ node: 'node-b', database: 'postgres' });
  const login = async (p: AppProcess) => {
    const res = await call(p.url, 'POST', '/api/v1/auth/login', ADMIN);
    expect(res.status).toBe(200);
    return res.body.token as string;
  };
  [tokenA, tokenB] = await Promise.all([login(a), login(b)]);
}, 360_000);

afterAll(async () => {
  const codes = await Promise.all([a?.stop(), b?.stop()]);
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
  folders.removeAll();
  expect(codes).toEqual([0, 0]);
}, 60_000);

describe('two app nodes on one PostgreSQL', () => {
  it('made exactly one first admin', () => {
    const printed = [a, b].filter((p) => p.stdout().includes('First admin account created'));
    expect(printed).toHaveLength(1);
  });

  it('runs each job exactly once across both nodes (50 webhook deliveries)', { timeout: 360_000 }, async () => {
    const port = (receiver.address() as AddressInfo).port;
    const hook = await call(a.url, 'POST', '/api/v1/webhooks', { url: `http://127.0.0.1:${port}/hook`, events: ['ticket.created'] }, tokenA);
    expect(hook.status).toBe(201);

    const ids: string[] = [];
    for (let i = 0; i < 50; i++) {
      const [node, token] = i % 2 ? [b, tokenB] : [a, tokenA];
      const t = await call(node.url, 'POST', '/api/v1/tickets', { subject: `Cluster ${i}`, channel: 'api', requester: { email: `c${i}@example.com` }, body: 'x' }, token);
      expect(t.status).toBe(201);
      ids.push(t.body.id);
    }
    // Wait until every delivery job has finished, then check nothing ran twice.
    const jobs = await until('all deliveries to finish', async () => {
      const res = await call(a.url, 'GET', '/api/v1/jobs?name=webhooks.deliver&limit=200', undefined, tokenA);
      const rows = res.body.data as { status: string; attempts: number }[];
      return rows.length === 50 && rows.every((j) => j.status === 'done') ? rows : undefined;
    }, 240_000);
    expect(jobs.every((j) => j.attempts === 1)).toBe(true);
    expect(received).toHaveLength(50);
    expect(new Set(received.map((r) => r.delivery)).size).toBe(50);
    expect(new Set(received.map((r) => r.body.ticketId))).toEqual(new Set(ids));

    // Both nodes took part (the claim is what keeps them from doubling up).
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      const byNode = await client.query(`select locked_by, count(*)::int as n from jobs where status = 'done' group by locked_by order by locked_by`);
      const nodes = byNode.rows.map((r: { locked_by: string }) => r.locked_by);
      expect(nodes).toEqual(['node-a', 'node-b']);
      const dispatches = await client.query(`select count(*)::int as n from jobs where name = 'webhooks.dispatch' and status = 'done' and attempts = 1`);
      expect(dispatches.rows[0].n).toBe(50);
    } finally {
      await client.end();
    }
  });

  it('an event raised on node A reaches a WebSocket on node B', { timeout: 60_000 }, async () => {
    const socket = await openSocket(`ws://127.0.0.1:${b.port}/api/v1/realtime`, { authorization: `Bearer ${tokenB}` });
    try {
      expect(socket.messages[0]).toMatchObject({ kind: 'hello', node: 'node-b' });
      const t = await call(a.url, 'POST', '/api/v1/tickets', { subject: 'Raised on A', channel: 'portal', requester: { email: 'cross@example.com' }, body: 'x' }, tokenA);
      expect(t.status).toBe(201);
      const pushed = await socket.next((m) => m.event?.type === 'ticket.created' && m.event.ticketId === t.body.id);
      expect(pushed.event?.data).toMatchObject({ number: t.body.number });
      const reply = await call(a.url, 'POST', `/api/v1/tickets/${t.body.id}/messages`, { body: 'Answer from node A' }, tokenA);
      expect(reply.status).toBe(201);
      await socket.next((m) => m.event?.type === 'message.added' && m.event.ticketId === t.body.id);
    } finally {
      socket.close();
    }
  });

  // Well inside the sockets' periodic 60 s recheck: only the change notice can be this quick.
  it('an agent taken off a team, then deactivated, on node A loses their socket on node B within seconds', { timeout: 60_000 }, async () => {
    const team = await call(a.url, 'POST', '/api/v1/teams', { name: 'Cluster returns' }, tokenA);
    expect(team.status).toBe(201);
    const staff = await call(a.url, 'POST', '/api/v1/staff', { email: 'moved@example.com', name: 'Moved Agent', role: 'agent', password: 'agent password 1', teamIds: [team.body.id] }, tokenA);
    expect(staff.status).toBe(201);
    const agentId = staff.body.id as string;
    const signIn = await call(b.url, 'POST', '/api/v1/auth/login', { email: 'moved@example.com', password: 'agent password 1' });
    expect(signIn.status).toBe(200);
    const socket = await openSocket(`ws://127.0.0.1:${b.port}/api/v1/realtime`, { authorization: `Bearer ${signIn.body.token}` });
    const closed = new Promise<number>((resolve) => socket.ws.once('close', (code) => resolve(code)));
    const raise = async (subject: string, to: { teamId?: string; assigneeId?: string }) => {
      const t = await call(a.url, 'POST', '/api/v1/tickets', { subject, channel: 'api', requester: { email: 'moved-customer@example.com' }, body: 'x', ...to }, tokenA);
      expect(t.status).toBe(201);
      return t.body.id as string;
    };
    const heard = (ticketId: string) => socket.messages.some((m) => m.event?.type === 'ticket.created' && m.event.ticketId === ticketId);
    try {
      const before = await raise('For the team', { teamId: team.body.id });
      await socket.next((m) => m.event?.type === 'ticket.created' && m.event.ticketId === before);

      const started = Date.now();
      expect((await call(a.url, 'PATCH', `/api/v1/teams/${team.body.id}`, { memberIds: [] }, tokenA)).status).toBe(200);
      // A team ticket, then one assigned to the agent: events arrive in commit order, so once the
      // second is heard the first was judged against the agent's teams as they were then.
      await until(
        'node B to learn the agent left the team',
        async () => {
          const teamTicket = await raise('For the team, after', { teamId: team.body.id });
          const own = await raise('For the agent', { assigneeId: agentId });
          await socket.next((m) => m.event?.type === 'ticket.created' && m.event.ticketId === own);
          return !heard(teamTicket);
        },
        10_000,
      );
      expect(Date.now() - started).toBeLessThan(10_000);

      const deactivated = Date.now();
      expect((await call(a.url, 'PATCH', `/api/v1/staff/${agentId}`, { active: false }, tokenA)).status).toBe(200);
      const code = await Promise.race([closed, new Promise((r) => setTimeout(() => r('still open'), 10_000))]);
      expect(code).toBe(4401);
      expect(Date.now() - deactivated).toBeLessThan(10_000);
    } finally {
      socket.close();
    }
  });
});

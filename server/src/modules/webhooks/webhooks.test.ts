import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDesk, type Account, type TestDesk } from '../../../test/harness.js';
import { onePage, walkPages } from '../../../test/pages.js';
import { ManualClock } from '../../platform/clock.js';

type Received = { path: string; headers: http.IncomingHttpHeaders; body: string };

/** A real HTTP receiver on 127.0.0.1; paths starting with /fail answer 500. */
async function startReceiver() {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.statusCode = req.url?.startsWith('/fail') ? 500 : 204;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { received, base, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** Checks `t=<ts>,v1=<hex hmac>` the way a receiver would. */
function verify(secret: string, header: string | string[] | undefined, body: string): { ok: boolean; t: number } {
  const parts = Object.fromEntries(String(header).split(',').map((p) => p.split('=') as [string, string]));
  const expected = crypto.createHmac('sha256', secret).update(`${parts.t}.${body}`).digest('hex');
  const ok = !!parts.v1 && parts.v1.length === expected.length && crypto.timingSafeEqual(Buffer.from(parts.v1), Buffer.from(expected));
  return { ok, t: Number(parts.t) };
}

const clock = new ManualClock(new Date(Date.now() + 3600_000));
let desk: TestDesk;
let admin: Account;
let receiver: Awaited<ReturnType<typeof startReceiver>>;

async function drainJobs() {
  let total = 0;
  for (let n = await desk.runner.runDue(); n > 0; n = await desk.runner.runDue()) total += n;
  return total;
}

beforeAll(async () => {
  receiver = await startReceiver();
  desk = await startDesk({ clock, env: { FRONTLINE_WEBHOOKS_ALLOW_INTERNAL: '1' } });
  admin = await desk.as('admin');
});
afterAll(async () => {
  await desk?.close();
  await receiver?.close();
});

describe('webhooks', () => {
  let all: { id: string; secret: string };
  let createdOnly: { id: string; secret: string };

  it('only managers register webhooks; bad input names the field', async () => {
    const agent = await desk.as('agent');
    expect((await desk.request(agent, 'POST', '/api/v1/webhooks', { url: `${receiver.base}/all` })).status).toBe(403);
    const bad = await desk.request(admin, 'POST', '/api/v1/webhooks', { url: 'ftp://example.com/hook' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('url');
    const badEvents = await desk.request(admin, 'POST', '/api/v1/webhooks', { url: `${receiver.base}/x`, events: 'ticket.created' });
    expect(badEvents.status).toBe(400);
    expect(badEvents.body.error.field).toBe('events');
    // A misspelt event would register a hook that never fires.
    const typo = await desk.request(admin, 'POST', '/api/v1/webhooks', { url: `${receiver.base}/x`, events: ['ticket.created', 'ticket.craeted'] });
    expect(typo.status).toBe(400);
    expect(typo.body.error.field).toBe('events.1');
  });

  it('delivers signed ticket events, filtered by event type', async () => {
    const a = await desk.request(admin, 'POST', '/api/v1/webhooks', { url: `${receiver.base}/all` });
    expect(a.status).toBe(201);
    expect(a.body.secret).toMatch(/^whsec_/);
    all = a.body;
    const b = await desk.request(admin, 'POST', '/api/v1/webhooks', { url: `${receiver.base}/created-only`, events: ['ticket.created'] });
    expect(b.status).toBe(201);
    createdOnly = b.body;
    // The secret is shown once: the list does not carry it.
    const list = await desk.request(admin, 'GET', '/api/v1/webhooks');
    expect(list.body.data).toHaveLength(2);
    expect(JSON.stringify(list.body)).not.toContain(all.secret);

    const ticket = await desk.request(admin, 'POST', '/api/v1/tickets', {
      subject: 'لا أستطيع تسجيل الدخول',
      channel: 'email',
      requester: { email: 'hook@example.com' },
      body: 'Since the update the app refuses my password.',
    });
    expect(ticket.status).toBe(201);
    const updated = await desk.request(admin, 'PATCH', `/api/v1/tickets/${ticket.body.id}`, { priority: 'urgent' });
    expect(updated.status).toBe(200);
    // Nothing is sent inside the request: delivery is a job.
    expect(receiver.received).toHaveLength(0);

    await drainJobs(); // two dispatches, then three deliveries
    const toAll = receiver.received.filter((r) => r.path === '/all');
    const toCreated = receiver.received.filter((r) => r.path === '/created-only');
    expect(toAll.map((r) => JSON.parse(r.body).type).sort()).toEqual(['ticket.created', 'ticket.priority_changed']);
    expect(toCreated.map((r) => JSON.parse(r.body).type)).toEqual(['ticket.created']);

    for (const r of toAll) {
      const { ok, t } = verify(all.secret, r.headers['x-frontline-signature'], r.body);
      expect(ok).toBe(true);
      expect(t).toBe(Math.floor(clock.now().getTime() / 1000));
      // Signed with the other hook's secret it would not verify.
      expect(verify(createdOnly.secret, r.headers['x-frontline-signature'], r.body).ok).toBe(false);
      expect(r.headers['content-type']).toBe('application/json');
      const body = JSON.parse(r.body);
      expect(r.headers['x-frontline-event']).toBe(body.type);
      expect(r.headers['x-frontline-delivery']).toBe(`${all.id}:${body.id}`);
      expect(body).toMatchObject({ ticketId: ticket.body.id, ticketNumber: ticket.body.number, actorUserId: admin.id });
    }
    expect(verify(createdOnly.secret, toCreated[0].headers['x-frontline-signature'], toCreated[0].body).ok).toBe(true);
    // A body changed in transit no longer matches its signature.
    expect(verify(all.secret, toAll[0].headers['x-frontline-signature'], toAll[0].body.replace('ticket', 'tickeT')).ok).toBe(false);

    const deliveries = await desk.request(admin, 'GET', `/api/v1/webhooks/${all.id}/deliveries`);
    expect(deliveries.status).toBe(200);
    expect(deliveries.body.data).toHaveLength(2);
    expect(deliveries.body.data.every((d: { statusCode: number; error: unknown }) => d.statusCode === 204 && d.error === null)).toBe(true);
    expect((await desk.request(admin, 'GET', `/api/v1/webhooks/${createdOnly.id}/deliveries`)).body.data).toHaveLength(1);

    // Running the queue again sends nothing twice.
    await drainJobs();
    expect(receiver.received).toHaveLength(3);
  });

  it('a receiver answering 500 is retried with backoff and ends as a failed job, visible and retryable', async () => {
    await desk.request(admin, 'DELETE', `/api/v1/webhooks/${all.id}`);
    await desk.request(admin, 'DELETE', `/api/v1/webhooks/${createdOnly.id}`);
    const failing = (await desk.request(admin, 'POST', '/api/v1/webhooks', { url: `${receiver.base}/fail`, events: ['ticket.created'] })).body;
    const before = receiver.received.length;

    const ticket = await desk.request(admin, 'POST', '/api/v1/tickets', { subject: 'Webhook down', channel: 'phone', requester: { email: 'down@example.com' }, body: 'x' });
    expect(ticket.status).toBe(201);
    // Other modules' jobs may run too: count what reached the receiver, not what the runner ran.
    await drainJobs(); // the dispatch, then the first delivery attempt
    const attempts = () => receiver.received.slice(before).filter((r) => r.path === '/fail');
    expect(attempts()).toHaveLength(1);

    const deliverJob = async () => {
      const res = await desk.request(admin, 'GET', '/api/v1/jobs?name=webhooks.deliver&limit=200');
      return res.body.data.find((j: { payload: { webhookId: string } }) => j.payload.webhookId === failing.id);
    };
    let job = await deliverJob();
    expect(job).toMatchObject({ status: 'pending', attempts: 1, lastError: expect.stringContaining('HTTP 500') });
    // Not retried before its backoff…
    await drainJobs();
    expect(attempts()).toHaveLength(1);
    for (let i = 2; i <= job.maxAttempts; i++) {
      const current = await deliverJob();
      clock.set(new Date(new Date(current.runAt).getTime() - 1));
      await drainJobs();
      expect(attempts()).toHaveLength(i - 1);
      clock.set(new Date(current.runAt));
      await drainJobs();
      expect(attempts()).toHaveLength(i);
    }
    job = await deliverJob();
    // The error names the hook and its origin, not the path (hook URLs often carry a token there).
    expect(job).toMatchObject({ status: 'failed', attempts: job.maxAttempts, lastError: `webhook ${failing.id} (${receiver.base}): HTTP 500` });
    expect(attempts()).toHaveLength(job.maxAttempts);
    // Every attempt carries the same delivery id, so the receiver can de-duplicate.
    expect(new Set(attempts().map((r) => r.headers['x-frontline-delivery'])).size).toBe(1);

    const failedJobs = await desk.request(admin, 'GET', '/api/v1/jobs?status=failed');
    expect(failedJobs.body.data.map((j: { id: number }) => j.id)).toContain(job.id);

    const deliveries = await desk.request(admin, 'GET', `/api/v1/webhooks/${failing.id}/deliveries`);
    expect(deliveries.body.data).toHaveLength(job.maxAttempts);
    expect(deliveries.body.data.every((d: { statusCode: number; error: string }) => d.statusCode === 500 && d.error === 'HTTP 500')).toBe(true);

    // An operator retries it from the failed-jobs list: one more attempt.
    clock.advance(24 * 3600_000);
    await drainJobs();
    expect(attempts()).toHaveLength(job.maxAttempts);
    expect((await desk.request(admin, 'POST', `/api/v1/jobs/${job.id}/retry`)).status).toBe(200);
    await drainJobs();
    expect(attempts()).toHaveLength(job.maxAttempts + 1);
  });

  it('an unreachable receiver is recorded with the reason, and retried', async () => {
    const closed = await startReceiver();
    await closed.close(); // nothing listens on this port any more
    const hook = (await desk.request(admin, 'POST', '/api/v1/webhooks', { url: `${closed.base}/hook?token=s3cr3t`, events: ['ticket.created'] })).body;
    await desk.request(admin, 'POST', '/api/v1/tickets', { subject: 'Unreachable', channel: 'phone', requester: { email: 'unreach@example.com' }, body: 'x' });
    await drainJobs();
    const deliveries = await desk.request(admin, 'GET', `/api/v1/webhooks/${hook.id}/deliveries`);
    expect(deliveries.body.data).toEqual([expect.objectContaining({ statusCode: null, error: 'ECONNREFUSED' })]);
    const jobs = await desk.request(admin, 'GET', '/api/v1/jobs?name=webhooks.deliver&status=pending');
    const job = jobs.body.data.find((j: { payload: { webhookId: string } }) => j.payload.webhookId === hook.id);
    expect(job).toMatchObject({ attempts: 1, lastError: `webhook ${hook.id} (${closed.base}): ECONNREFUSED` });
    expect(job.lastError).not.toContain('s3cr3t');
    await desk.request(admin, 'DELETE', `/api/v1/webhooks/${hook.id}`);
  });

  it('a removed webhook gets nothing, and deliveries of an unknown webhook are not found', async () => {
    const gone = (await desk.request(admin, 'POST', '/api/v1/webhooks', { url: `${receiver.base}/gone` })).body;
    expect((await desk.request(admin, 'DELETE', `/api/v1/webhooks/${gone.id}`)).status).toBe(204);
    expect((await desk.request(admin, 'DELETE', `/api/v1/webhooks/${gone.id}`)).status).toBe(404);
    await desk.request(admin, 'POST', '/api/v1/tickets', { subject: 'After removal', channel: 'phone', requester: { email: 'gone@example.com' }, body: 'x' });
    await drainJobs();
    expect(receiver.received.filter((r) => r.path === '/gone')).toHaveLength(0);
    const missing = await desk.request(admin, 'GET', `/api/v1/webhooks/${crypto.randomUUID()}/deliveries`);
    expect(missing.status).toBe(404);
  });

  it("a webhook's deliveries page newest first with a cursor: every attempt once, attempts in one instant included", async () => {
    const hook = (await desk.request(admin, 'POST', '/api/v1/webhooks', { url: `${receiver.base}/paged`, events: ['ticket.created'] })).body;
    // The clock stands still: every attempt is delivered in the same instant.
    for (let i = 0; i < 5; i++) await desk.request(admin, 'POST', '/api/v1/tickets', { subject: `Paged ${i}`, channel: 'phone', requester: { email: `paged${i}@example.com` }, body: 'x' });
    await drainJobs();
    const url = `/api/v1/webhooks/${hook.id}/deliveries`;
    const all = await onePage<{ id: number; deliveredAt: string }>(desk, admin, url);
    expect(all).toHaveLength(5);
    expect(new Set(all.map((d) => d.deliveredAt)).size).toBe(1);
    for (const limit of [1, 2, 4]) expect((await walkPages<{ id: number }>(desk, admin, url, limit)).map((d) => d.id)).toEqual(all.map((d) => d.id));

    // A cursor is a position in one webhook's list only.
    const other = (await desk.request(admin, 'POST', '/api/v1/webhooks', { url: `${receiver.base}/other` })).body;
    const cursor = (await desk.request(admin, 'GET', `${url}?limit=1`)).body.nextCursor;
    expect(cursor).toEqual(expect.any(String));
    for (const bad of [`${url}?cursor=nonsense`, `/api/v1/webhooks/${other.id}/deliveries?cursor=${cursor}`]) {
      const res = await desk.request(admin, 'GET', bad);
      expect(res.status, bad).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'invalid_cursor', field: 'cursor' });
    }
    for (const h of [hook, other]) await desk.request(admin, 'DELETE', `/api/v1/webhooks/${h.id}`);
  });
});

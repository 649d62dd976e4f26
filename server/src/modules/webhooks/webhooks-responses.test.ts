import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectDocumented } from '../../../test/documented.js';
import { startDesk, type Account, type TestDesk } from '../../../test/harness.js';
import { createdWebhook, deliveryList, webhookList } from './webhooks.responses.js';

/** A receiver on 127.0.0.1 that takes every delivery. */
async function listen() {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => res.end('ok'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('webhook answers as documented', () => {
  let desk: TestDesk;
  let admin: Account;
  let receiver: Awaited<ReturnType<typeof listen>>;
  beforeAll(async () => {
    receiver = await listen();
    desk = await startDesk({ env: { FRONTLINE_WEBHOOKS_ALLOW_INTERNAL: '1' } });
    admin = await desk.as('admin');
  });
  afterAll(async () => {
    await desk?.close();
    await receiver?.close();
  });

  it('describes the answers in the OpenAPI document', async () => {
    const doc = (await desk.request(null, 'GET', '/api/openapi.json')).body;
    expect(Object.keys(doc.paths['/api/v1/webhooks'].get.responses['200'].content['application/json'].schema.properties)).toEqual(['data']);
    expect(doc.paths['/api/v1/webhooks'].post.responses['201'].content['application/json'].schema.properties).toHaveProperty('secret');
    expect(doc.paths['/api/v1/webhooks/{id}'].delete.responses).toHaveProperty('204');
    expect(Object.keys(doc.paths['/api/v1/webhooks/{id}/deliveries'].get.responses['200'].content['application/json'].schema.properties)).toEqual(['data', 'nextCursor']);
  });

  it('register, list, deliveries (answered and unreachable) and removal match', async () => {
    const hook = await desk.request(admin, 'POST', '/api/v1/webhooks', { url: `${receiver.base}/frontline`, events: ['ticket.created', 'message.added'] });
    expect(hook.status).toBe(201);
    expectDocumented(createdWebhook, hook.body);
    expect(hook.body.secret).toMatch(/^whsec_/);

    const closed = await listen();
    await closed.close(); // nothing listens there any more
    const unreachable = await desk.request(admin, 'POST', '/api/v1/webhooks', { url: `${closed.base}/hook` });
    expect(unreachable.status).toBe(201);
    expectDocumented(createdWebhook, unreachable.body);
    expect(unreachable.body.events).toEqual([]);

    const list = await desk.request(admin, 'GET', '/api/v1/webhooks');
    expect(list.status).toBe(200);
    expectDocumented(webhookList, list.body);
    expect(list.body.data).toHaveLength(2);
    expect(JSON.stringify(list.body)).not.toContain(hook.body.secret);

    const ticket = await desk.request(admin, 'POST', '/api/v1/tickets', {
      subject: 'Η παραγγελία μου δεν έφτασε',
      channel: 'email',
      requester: { email: 'eleni.papadopoulou@example.gr', name: 'Ελένη Παπαδοπούλου' },
      body: 'Περιμένω δύο εβδομάδες.',
    });
    expect(ticket.status).toBe(201);
    for (let n = await desk.runner.runDue(); n > 0; n = await desk.runner.runDue());

    const answered = await desk.request(admin, 'GET', `/api/v1/webhooks/${hook.body.id}/deliveries`);
    expect(answered.status).toBe(200);
    expectDocumented(deliveryList, answered.body);
    expect(answered.body.data).toEqual([expect.objectContaining({ statusCode: 200, error: null })]);
    const refused = await desk.request(admin, 'GET', `/api/v1/webhooks/${unreachable.body.id}/deliveries`);
    expectDocumented(deliveryList, refused.body);
    expect(refused.body.data[0]).toMatchObject({ statusCode: null, error: 'ECONNREFUSED' });

    for (const id of [hook.body.id, unreachable.body.id]) {
      const removed = await desk.request(admin, 'DELETE', `/api/v1/webhooks/${id}`);
      expect(removed.status).toBe(204);
      expect(removed.body).toBeUndefined();
    }
    expectDocumented(webhookList, (await desk.request(admin, 'GET', '/api/v1/webhooks')).body);
  });
});

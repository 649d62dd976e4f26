import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDesk, type Account, type TestDesk } from '../../test/harness.js';

let desk: TestDesk;
let admin: Account;

beforeAll(async () => {
  desk = await startDesk();
  admin = await desk.as('admin');
});
afterAll(async () => desk?.close());

// Every list that pages takes the same `limit`: 1–200, anything else refused naming the field.
const lists = ['/tickets', '/customers', '/organizations', '/staff', '/email/inbound', '/jobs', '/notifications', '/sla/targets'];

describe('page size', () => {
  it('a webhook\'s delivery attempts take limit 1–200 too', async () => {
    const hook = await desk.request<{ id: string }>(admin, 'POST', '/api/v1/webhooks', { url: 'https://93.184.215.14/hook', events: ['ticket.created'] });
    expect(hook.status).toBe(201);
    const path = `/api/v1/webhooks/${hook.body.id}/deliveries`;
    for (const ok of ['1', '200']) expect((await desk.request(admin, 'GET', `${path}?limit=${ok}`)).status, ok).toBe(200);
    for (const bad of ['0', '201', 'ten']) {
      const res = await desk.request<{ error: { field?: string } }>(admin, 'GET', `${path}?limit=${bad}`);
      expect(res.status, bad).toBe(400);
      expect(res.body.error.field).toBe('limit');
    }
    expect((await desk.request(admin, 'DELETE', `/api/v1/webhooks/${hook.body.id}`)).status).toBe(204);
  });

  it.each(lists)('%s takes limit 1–200 and refuses others with 400 naming limit', async (path) => {
    for (const ok of ['1', '200']) {
      const res = await desk.request(admin, 'GET', `/api/v1${path}?limit=${ok}`);
      expect(res.status, `${path}?limit=${ok}`).toBe(200);
    }
    for (const bad of ['0', '201', 'ten']) {
      const res = await desk.request<{ error: { code: string; field?: string } }>(admin, 'GET', `/api/v1${path}?limit=${bad}`);
      expect(res.status, `${path}?limit=${bad}`).toBe(400);
      expect(res.body.error.field).toBe('limit');
    }
  });
});

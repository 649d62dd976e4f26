import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ZodType } from 'zod';
import { startDesk, type Account, type TestDesk } from '../../../test/harness.js';
import { newTicket } from '../../../test/promises.js';
import { customer, customerContext, customerPage } from './customers.responses.js';

const holds = (schema: ZodType, body: unknown) => {
  const parsed = schema.safeParse(body);
  expect(parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual([]);
};

describe('customer answers as documented', () => {
  let desk: TestDesk;
  let agent: Account;
  beforeAll(async () => {
    desk = await startDesk();
    agent = await desk.as('agent');
  });
  afterAll(async () => desk?.close());

  it('create, read, change, list and the side panel match their schemas', async () => {
    const org = await desk.request(await desk.as('manager'), 'POST', '/api/v1/organizations', { name: 'شرکت پارسیان', domains: ['parsian.example.ir'] });
    expect(org.status).toBe(201);
    const created = await desk.request(agent, 'POST', '/api/v1/customers', {
      name: 'مریم احمدی',
      emails: ['maryam@parsian.example.ir'],
      phones: ['+98 21 5555 0100'],
      language: 'fa',
      timeZone: 'Asia/Tehran',
      organizationId: org.body.id,
    });
    expect(created.status).toBe(201);
    holds(customer, created.body);
    const id = created.body.id;
    holds(customer, (await desk.request(agent, 'GET', `/api/v1/customers/${id}`)).body);
    holds(customer, (await desk.request(agent, 'PATCH', `/api/v1/customers/${id}`, { notes: 'Prefers Persian' })).body);
    holds(customerPage, (await desk.request(agent, 'GET', '/api/v1/customers?limit=5')).body);

    const admin = await desk.as('admin');
    await newTicket(desk, admin, { requester: undefined, requesterId: id, status: 'solved' });
    await newTicket(desk, admin, { requester: undefined, requesterId: id });
    const panel = await desk.request(agent, 'GET', `/api/v1/customers/${id}/context`);
    expect(panel.body.ticketCount).toBe(2);
    holds(customerContext, panel.body);
  });
});

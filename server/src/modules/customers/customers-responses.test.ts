import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectDocumented } from '../../../test/documented.js';
import { startDesk, type Account, type TestDesk } from '../../../test/harness.js';
import { newTicket } from '../../../test/promises.js';
import { customer, customerContext, customerPage } from './customers.responses.js';

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
    expectDocumented(customer, created.body);
    const id = created.body.id;
    expectDocumented(customer, (await desk.request(agent, 'GET', `/api/v1/customers/${id}`)).body);
    expectDocumented(customer, (await desk.request(agent, 'PATCH', `/api/v1/customers/${id}`, { notes: 'Prefers Persian' })).body);
    expectDocumented(customerPage, (await desk.request(agent, 'GET', '/api/v1/customers?limit=5')).body);

    const admin = await desk.as('admin');
    // Assigned to the agent, so the agent's panel shows them.
    await newTicket(desk, admin, { requester: undefined, requesterId: id, status: 'solved', assigneeId: agent.id });
    await newTicket(desk, admin, { requester: undefined, requesterId: id, assigneeId: agent.id });
    const panel = await desk.request(agent, 'GET', `/api/v1/customers/${id}/context`);
    expect(panel.body.ticketCount).toBe(2);
    expectDocumented(customerContext, panel.body);
  });
});

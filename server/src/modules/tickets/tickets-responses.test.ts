import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectDocumented } from '../../../test/documented.js';
import { startDesk, type Account, type TestDesk } from '../../../test/harness.js';
import { portalCustomer, type CustomerAccount } from '../../../test/portal-customer.js';
import { apiError } from '../../platform/openapi.js';
import { addedMessage, ticketDetail, ticketPage, ticketTimeline } from './tickets.responses.js';

describe('ticket answers as documented', () => {
  let desk: TestDesk;
  let admin: Account;
  let customer: CustomerAccount;
  beforeAll(async () => {
    desk = await startDesk();
    admin = await desk.as('admin');
    customer = await portalCustomer(desk, admin, 'Нина Петрова');
  });
  afterAll(async () => desk?.close());

  it('describes the answers in the OpenAPI document, errors included', async () => {
    const doc = (await desk.request(null, 'GET', '/api/openapi.json')).body;
    const list = doc.paths['/api/v1/tickets'].get.responses;
    expect(Object.keys(list['200'].content['application/json'].schema.properties)).toEqual(['data', 'nextCursor']);
    expect(Object.keys(doc.paths['/api/v1/tickets/{id}/timeline'].get.responses['200'].content['application/json'].schema.properties)).toEqual(['data', 'nextCursor']);
    expect(doc.paths['/api/v1/tickets'].post.responses['201'].content['application/json'].schema.properties).toHaveProperty('messages');
    expect(doc.paths['/api/v1/tickets/{id}/messages'].post.responses['201'].content['application/json'].schema.properties).toHaveProperty('message');
    expect(list.default.content['application/json'].schema.properties.error.properties).toHaveProperty('code');
  });

  it('staff answers match: create, list, detail with context, change, reply and note', async () => {
    const team = await desk.team('Billing');
    const created = await desk.request(admin, 'POST', '/api/v1/tickets', {
      subject: 'Оплата не проходит',
      channel: 'chat',
      requester: { email: 'nina.other@example.ru', name: 'Нина' },
      body: 'Карта отклонена.',
      teamId: team,
      tags: ['billing'],
    });
    expect(created.status).toBe(201);
    expectDocumented(ticketDetail, created.body);
    const id = created.body.id;

    expectDocumented(ticketPage, (await desk.request(admin, 'GET', '/api/v1/tickets?limit=5')).body);
    expectDocumented(ticketPage, (await desk.request(admin, 'GET', '/api/v1/tickets?sort=slaDueAt&limit=5')).body);
    expectDocumented(ticketDetail, (await desk.request(admin, 'GET', `/api/v1/tickets/${id}?include=context`)).body);
    const changed = await desk.request(admin, 'PATCH', `/api/v1/tickets/${id}`, { priority: 'high', assigneeId: admin.id });
    expect(changed.status).toBe(200);
    expectDocumented(ticketDetail, changed.body);
    for (const internal of [false, true]) {
      const added = await desk.request(admin, 'POST', `/api/v1/tickets/${id}/messages`, { body: internal ? 'Проверить шлюз' : 'Мы проверяем платёж.', internal });
      expect(added.status).toBe(201);
      expectDocumented(addedMessage, added.body);
    }
    const history = await desk.request(admin, 'GET', `/api/v1/tickets/${id}/timeline?limit=2`);
    expect(history.body.nextCursor).toEqual(expect.any(String));
    expectDocumented(ticketTimeline, history.body);
    expectDocumented(ticketTimeline, (await desk.request(admin, 'GET', `/api/v1/tickets/${id}/timeline?cursor=${history.body.nextCursor}`)).body);
    const missing = await desk.request(admin, 'GET', '/api/v1/tickets/00000000-0000-4000-8000-000000000000');
    expect(missing.status).toBe(404);
    expectDocumented(apiError, missing.body);
  });

  it('customer answers match too: their own ticket, their list, their reply', async () => {
    const created = await desk.request(customer, 'POST', '/api/v1/tickets', { subject: 'Не могу войти', channel: 'portal', body: 'Пароль не подходит.' });
    expect(created.status).toBe(201);
    expectDocumented(ticketDetail, created.body);
    expectDocumented(ticketPage, (await desk.request(customer, 'GET', '/api/v1/tickets')).body);
    expectDocumented(ticketDetail, (await desk.request(customer, 'GET', `/api/v1/tickets/${created.body.id}`)).body);
    const reply = await desk.request(customer, 'POST', `/api/v1/tickets/${created.body.id}/messages`, { body: 'Спасибо!' });
    expect(reply.status).toBe(201);
    expectDocumented(addedMessage, reply.body);
    const bad = await desk.request(customer, 'POST', '/api/v1/tickets', { subject: '', channel: 'portal', body: 'x' });
    expect(bad.status).toBe(400);
    expectDocumented(apiError, bad.body);
  });
});

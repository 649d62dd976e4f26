import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectDocumented } from '../../../test/documented.js';
import { startDesk, type Account, type TestDesk } from '../../../test/harness.js';
import { portalCustomer } from '../../../test/portal-customer.js';
import { user, userPage } from './users.responses.js';

describe('staff and portal account answers as documented', () => {
  let desk: TestDesk;
  let admin: Account;
  beforeAll(async () => {
    desk = await startDesk();
    admin = await desk.as('admin');
  });
  afterAll(async () => desk?.close());

  it('describes the answers in the OpenAPI document', async () => {
    const doc = (await desk.request(null, 'GET', '/api/openapi.json')).body;
    expect(Object.keys(doc.paths['/api/v1/staff'].get.responses['200'].content['application/json'].schema.properties)).toEqual(['data', 'nextCursor']);
    expect(doc.paths['/api/v1/staff'].post.responses['201'].content['application/json'].schema.properties).toHaveProperty('teamIds');
    expect(doc.paths['/api/v1/staff/{id}'].patch.responses).toHaveProperty('200');
    expect(doc.paths['/api/v1/me'].patch.responses).toHaveProperty('200');
    expect(doc.paths['/api/v1/portal-accounts'].post.responses).toHaveProperty('201');
  });

  it('add, list, read and change staff match, and carry no password', async () => {
    const team = await desk.team('الدعم الفني', 2);
    const created = await desk.request(admin, 'POST', '/api/v1/staff', {
      email: 'layla.haddad@desk.test',
      name: 'ليلى حداد',
      role: 'agent',
      password: 'كلمة سر طويلة جدا',
      tier: 2,
      skills: ['billing', 'العربية'],
      language: 'ar',
      teamIds: [team],
      signature: 'مع التحية، ليلى',
    });
    expect(created.status).toBe(201);
    expectDocumented(user, created.body);
    expect(created.body).toMatchObject({ name: 'ليلى حداد', tier: 2, teamIds: [team], customerId: null });
    expect(JSON.stringify(created.body)).not.toMatch(/password|hash|كلمة سر/i);
    const id = created.body.id;

    const list = await desk.request(admin, 'GET', '/api/v1/staff');
    expect(list.status).toBe(200);
    expectDocumented(userPage, list.body);
    expect(list.body.data.map((u: { id: string }) => u.id)).toContain(id);
    expectDocumented(userPage, (await desk.request(admin, 'GET', `/api/v1/staff?teamId=${team}&role=agent`)).body);

    const read = await desk.request(admin, 'GET', `/api/v1/staff/${id}`);
    expect(read.status).toBe(200);
    expectDocumented(user, read.body);

    const changed = await desk.request(admin, 'PATCH', `/api/v1/staff/${id}`, { tier: null, role: 'supervisor', signature: null, password: 'another long passphrase' });
    expect(changed.status).toBe(200);
    expectDocumented(user, changed.body);
    expect(changed.body).toMatchObject({ role: 'supervisor', tier: null, signature: null });
  });

  it('changing my own profile matches, for staff and for a portal customer', async () => {
    const agent = await desk.as('agent');
    const mine = await desk.request(agent, 'PATCH', '/api/v1/me', { name: 'Сергей Иванов', language: 'ru', availability: 'away', signature: 'С уважением, Сергей' });
    expect(mine.status).toBe(200);
    expectDocumented(user, mine.body);
    expect(mine.body).toMatchObject({ id: agent.id, name: 'Сергей Иванов', availability: 'away' });

    const customer = await portalCustomer(desk, admin, 'Zoë Lefèvre');
    const theirs = await desk.request(customer, 'PATCH', '/api/v1/me', { language: 'fa' });
    expect(theirs.status).toBe(200);
    expectDocumented(user, theirs.body);
    expect(theirs.body).toMatchObject({ role: 'customer', customerId: customer.customerId });
  });

  it('giving a customer a portal sign-in matches', async () => {
    const customer = await desk.request(admin, 'POST', '/api/v1/customers', { name: 'رضا کریمی', emails: ['reza.karimi@example.ir'], language: 'fa' });
    expect(customer.status).toBe(201);
    const account = await desk.request(admin, 'POST', '/api/v1/portal-accounts', { customerId: customer.body.id, email: 'reza.karimi@example.ir', password: 'رمز عبور بلند و امن' });
    expect(account.status).toBe(201);
    expectDocumented(user, account.body);
    expect(account.body).toMatchObject({ name: 'رضا کریمی', role: 'customer', customerId: customer.body.id, language: 'fa', teamIds: [] });
    expect(JSON.stringify(account.body)).not.toMatch(/hash|رمز/i);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDesk, type Account, type TestDesk } from '../../../test/harness.js';

let desk: TestDesk;
let admin: Account;

beforeAll(async () => {
  desk = await startDesk();
  admin = await desk.as('admin');
});
afterAll(async () => desk?.close());

describe('transfer out of an agent view', () => {
  it('shows the agent the result of handing a ticket to another team, then hides it', async () => {
    const l1 = await desk.team('Transfer L1', 1);
    const l2 = await desk.team('Transfer L2', 2);
    const agent = await desk.as('agent', { teamIds: [l1] });
    const t = await desk.request(admin, 'POST', '/api/v1/tickets', { subject: 'Needs an expert', channel: 'email', requester: { email: 'x@transfer.test' }, body: 'b', teamId: l1 });
    const moved = await desk.request(agent, 'PATCH', `/api/v1/tickets/${t.body.id}`, { teamId: l2, note: 'Tried a reset; L2 please check the server logs.' });
    expect(moved.status).toBe(200);
    expect(moved.body.team.id).toBe(l2);
    const after = await desk.request(agent, 'GET', `/api/v1/tickets/${t.body.id}`);
    expect(after.status).toBe(404);
    const forL2 = await desk.request(admin, 'GET', `/api/v1/tickets/${t.body.id}`);
    expect(forL2.body.messages.at(-1)).toMatchObject({ internal: true, body: 'Tried a reset; L2 please check the server logs.' });
  });

  it('lets only staff who see every ticket open a portal sign-in for a customer', async () => {
    const agent = await desk.as('agent');
    const customer = await desk.request(admin, 'POST', '/api/v1/customers', { name: 'Portal target', emails: ['target@transfer.test'] });
    const denied = await desk.request(agent, 'POST', '/api/v1/portal-accounts', { customerId: customer.body.id, email: 'target@transfer.test', password: 'long enough pass' });
    expect(denied.status).toBe(403);
    const dispatcher = await desk.as('dispatcher');
    const allowed = await desk.request(dispatcher, 'POST', '/api/v1/portal-accounts', { customerId: customer.body.id, email: 'target@transfer.test', password: 'long enough pass' });
    expect(allowed.status).toBe(201);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDesk, type Account, type TestDesk } from '../../../test/harness.js';

let desk: TestDesk;
let agent: Account;

beforeAll(async () => {
  desk = await startDesk();
  agent = await desk.as('manager');
});
afterAll(async () => {
  await desk?.close();
});

describe('merging duplicate customers', () => {
  it('moves tickets, emails and the portal account to the kept customer and removes the duplicate', async () => {
    const kept = await desk.request(agent, 'POST', '/api/v1/customers', { name: 'Мария Иванова', emails: ['maria@work.example'], phones: ['+7 900 000 0001'] });
    const dup = await desk.request(agent, 'POST', '/api/v1/customers', { name: 'Maria I.', emails: ['maria.home@mail.example'], phones: ['+7 900 000 0002'], notes: 'Prefers phone calls' });
    expect(kept.status).toBe(201);
    const t1 = await desk.request(agent, 'POST', '/api/v1/tickets', { subject: 'Счёт', channel: 'email', body: 'Где счёт?', requesterId: kept.body.id });
    const t2 = await desk.request(agent, 'POST', '/api/v1/tickets', { subject: 'Invoice again', channel: 'email', body: 'Still no invoice', requesterId: dup.body.id });
    expect(t2.status).toBe(201);
    const portal = await desk.request(agent, 'POST', '/api/v1/portal-accounts', { customerId: dup.body.id, email: 'maria.home@mail.example', password: 'portal-password-1' });
    expect(portal.status).toBe(201);

    const merged = await desk.request(agent, 'POST', `/api/v1/customers/${dup.body.id}/merge`, { targetId: kept.body.id });
    expect(merged.status).toBe(200);
    expect(merged.body.emails.sort()).toEqual(['maria.home@mail.example', 'maria@work.example']);
    expect(merged.body.phones).toEqual(['+7 900 000 0001', '+7 900 000 0002']);
    expect(merged.body.notes).toBe('Prefers phone calls');

    expect((await desk.request(agent, 'GET', `/api/v1/customers/${dup.body.id}`)).status).toBe(404);
    const tickets = await desk.request(agent, 'GET', `/api/v1/tickets?requesterId=${kept.body.id}`);
    expect(tickets.body.data.map((t: { id: string }) => t.id).sort()).toEqual([t1.body.id, t2.body.id].sort());

    // The portal account now belongs to the kept customer and sees both tickets.
    const login = await desk.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'maria.home@mail.example', password: 'portal-password-1' } });
    expect(login.statusCode).toBe(200);
    expect(login.json().user.customerId).toBe(kept.body.id);
    const own = await desk.app.inject({ method: 'GET', url: '/api/v1/tickets', headers: { authorization: `Bearer ${login.json().token}` } });
    expect(own.json().data).toHaveLength(2);
  });

  it('refuses a merge into itself, into a missing customer, and by a role that may not merge customers', async () => {
    const c = await desk.request(agent, 'POST', '/api/v1/customers', { name: 'Solo', emails: ['solo@example.com'] });
    const self = await desk.request(agent, 'POST', `/api/v1/customers/${c.body.id}/merge`, { targetId: c.body.id });
    expect(self.status).toBe(400);
    expect(self.body.error.code).toBe('merge_into_self');
    const missing = await desk.request(agent, 'POST', `/api/v1/customers/${c.body.id}/merge`, { targetId: '00000000-0000-4000-8000-000000000000' });
    expect(missing.status).toBe(400);
    expect(missing.body.error).toMatchObject({ code: 'invalid_target', field: 'targetId' });
    const bad = await desk.request(agent, 'POST', `/api/v1/customers/${c.body.id}/merge`, { targetId: 'nope' });
    expect(bad.status).toBe(400);
    const other = await desk.request(agent, 'POST', '/api/v1/customers', { name: 'Other', emails: ['other.merge@example.com'] });
    // Agents see tickets by team; a merge would hand a customer's portal sign-in tickets the agent cannot see.
    for (const role of ['analyst', 'agent'] as const) {
      const refused = await desk.request(await desk.as(role), 'POST', `/api/v1/customers/${c.body.id}/merge`, { targetId: other.body.id });
      expect(refused.status).toBe(403);
    }
    const supervisor = await desk.request(await desk.as('supervisor'), 'POST', `/api/v1/customers/${other.body.id}/merge`, { targetId: other.body.id });
    expect(supervisor.body.error.code).toBe('merge_into_self');
    expect((await desk.request(agent, 'GET', `/api/v1/customers/${c.body.id}`)).status).toBe(200);
  });
});

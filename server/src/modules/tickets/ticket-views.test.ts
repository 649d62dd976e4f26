import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDesk, type Account, type TestDesk } from '../../../test/harness.js';

let desk: TestDesk;
let admin: Account;

beforeAll(async () => {
  desk = await startDesk();
  admin = await desk.as('admin');
});
afterAll(async () => {
  await desk?.close();
});

const create = async (body: Record<string, unknown>) => {
  const res = await desk.request(admin, 'POST', '/api/v1/tickets', { channel: 'email', body: 'Текст обращения', ...body });
  expect(res.status).toBe(201);
  return res.body as { id: string; version: number };
};

describe('queue counts', () => {
  it("counts mine, unassigned, open, all, solved recently and each team's open tickets, within the agent's scope", async () => {
    const billing = await desk.team('Billing counts');
    const shipping = await desk.team('Shipping counts');
    const agent = await desk.as('agent', { teamIds: [billing] });
    await create({ subject: 'Unassigned billing', requester: { email: 'c1@example.com' }, teamId: billing });
    await create({ subject: 'Mine', requester: { email: 'c2@example.com' }, teamId: billing, assigneeId: agent.id });
    const solved = await create({ subject: 'Solved billing', requester: { email: 'c3@example.com' }, teamId: billing });
    expect((await desk.request(admin, 'PATCH', `/api/v1/tickets/${solved.id}`, { status: 'solved' })).status).toBe(200);
    await create({ subject: 'Shipping, not visible to the agent', requester: { email: 'c4@example.com' }, teamId: shipping });

    const res = await desk.request(agent, 'GET', '/api/v1/tickets/counts');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ mine: 1, unassigned: 1, open: 2, all: 3, solvedRecently: 1, teams: { [billing]: 2 } });
    expect(res.body.teams[shipping]).toBeUndefined();

    const all = await desk.request(admin, 'GET', '/api/v1/tickets/counts');
    expect(all.body.teams[shipping]).toBe(1);
    expect(all.body.all).toBeGreaterThanOrEqual(4);
  });
});

describe('opening a ticket in one round trip', () => {
  it('adds the customer side panel with include=context for staff, and not otherwise', async () => {
    const first = await create({ subject: 'Первая проблема', requester: { email: 'repeat@example.ru', name: 'Ирина' } });
    expect((await desk.request(admin, 'PATCH', `/api/v1/tickets/${first.id}`, { status: 'solved' })).status).toBe(200);
    const second = await create({ subject: 'Снова не работает', requester: { email: 'repeat@example.ru' } });

    const plain = await desk.request(admin, 'GET', `/api/v1/tickets/${second.id}`);
    expect(plain.body.context).toBeUndefined();
    const withContext = await desk.request(admin, 'GET', `/api/v1/tickets/${second.id}?include=context`);
    expect(withContext.status).toBe(200);
    expect(withContext.body.messages).toHaveLength(1);
    expect(withContext.body.context.customer.name).toBe('Ирина');
    const previous = withContext.body.context.tickets.find((t: { id: string }) => t.id === first.id);
    expect(previous).toMatchObject({ subject: 'Первая проблема', solved: true });
    // Beside the new conversation, the last problem is the one before it, and whether it was fixed.
    expect(withContext.body.context.lastProblem).toMatchObject({ id: first.id, solved: true });
    const alone = await desk.request(admin, 'GET', `/api/v1/customers/${withContext.body.requester.id}/context`);
    expect(alone.body.lastProblem.id).toBe(second.id);

    const bad = await desk.request(admin, 'GET', `/api/v1/tickets/${second.id}?include=everything`);
    expect(bad.status).toBe(400);
  });
});

describe('the session check', () => {
  it('returns the CSRF token to a cookie session so a reloaded page can write, and not to a Bearer token', async () => {
    const login = await desk.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: admin.email, password: admin.password } });
    const cookie = login.headers['set-cookie'];
    const { csrfToken } = login.json();
    const me = await desk.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: Array.isArray(cookie) ? cookie.join('; ') : String(cookie) } });
    expect(me.json().csrfToken).toBe(csrfToken);
    const bearer = await desk.request(admin, 'GET', '/api/v1/auth/me');
    expect(bearer.body.csrfToken).toBeUndefined();
  });
});

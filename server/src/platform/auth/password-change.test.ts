import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDesk, type Account, type TestDesk } from '../../../test/harness.js';
import { ensureFirstAdmin } from '../../bootstrap.js';

// The first admin's printed password is one-time; anyone may change their own password.
let desk: TestDesk;

beforeAll(async () => {
  desk = await startDesk();
});
afterAll(async () => desk?.close());

const bearer = (token: string) => ({ authorization: `Bearer ${token}` }) as Account['headers'];
const asToken = (token: string) => ({ headers: bearer(token) }) as Account;
async function login(email: string, password: string) {
  const res = await desk.request(null, 'POST', '/api/v1/auth/login', { email, password });
  return res;
}
const change = (token: string, currentPassword: string, newPassword: string) => desk.request(asToken(token), 'POST', '/api/v1/auth/password', { currentPassword, newPassword });

describe('changing a password', () => {
  it('flags the first admin\'s printed password until it is changed, without locking the API', async () => {
    const admin = (await ensureFirstAdmin(desk.ctx))!;
    expect(admin.generated).toBe(true);
    const signedIn = await login(admin.email, admin.password);
    expect(signedIn.status).toBe(200);
    expect(signedIn.body.user).toMatchObject({ role: 'admin', mustChangePassword: true });
    const token = signedIn.body.token as string;
    const other = (await login(admin.email, admin.password)).body.token as string;

    for (const [method, url, body] of [
      ['GET', '/api/v1/tickets'],
      ['GET', '/api/v1/staff'],
      ['POST', '/api/v1/auth/tokens', { name: 'sneaky' }],
      ['POST', '/api/v1/tickets', { subject: 'x', channel: 'phone', requester: { email: 'a@example.com' }, body: 'x' }],
    ] as const) {
      const res = await desk.request(asToken(token), method, url, body);
      // Setup scripts sign in with the printed password and go on; the web app asks for a new one.
      expect({ url, status: res.status }).toEqual({ url, status: url === '/api/v1/tickets' && method === 'POST' ? 201 : url === '/api/v1/auth/tokens' ? 201 : 200 });
    }
    expect((await desk.request(asToken(token), 'GET', '/api/v1/auth/me')).body).toMatchObject({ mustChangePassword: true });

    // The current password is checked; the new one is long enough and different.
    expect((await change(token, 'not it at all', 'a brand new password')).body.error.code).toBe('wrong_password');
    const short = await change(token, admin.password, 'short');
    expect(short).toMatchObject({ status: 400, body: { error: { code: 'invalid_request', field: 'newPassword' } } });
    expect((await change(token, admin.password, admin.password)).body.error.code).toBe('password_unchanged');

    expect((await change(token, admin.password, 'a brand new password')).status).toBe(204);
    expect((await desk.request(asToken(token), 'GET', '/api/v1/auth/me')).body).toMatchObject({ mustChangePassword: false });
    expect((await desk.request(asToken(token), 'GET', '/api/v1/tickets')).status).toBe(200);
    // The other session knew only the printed password: it is over.
    expect((await desk.request(asToken(other), 'GET', '/api/v1/auth/me')).status).toBe(401);
    expect((await login(admin.email, admin.password)).status).toBe(401);
    expect((await login(admin.email, 'a brand new password')).body.user.mustChangePassword).toBe(false);
  });

  it('lets anyone change their own password, ending their other sessions and tokens but not this one', async () => {
    const agent = await desk.as('agent');
    const madeToken = await desk.request(agent, 'POST', '/api/v1/auth/tokens', { name: 'script' });
    expect(madeToken.status).toBe(201);
    const secondSession = (await login(agent.email, agent.password)).body.token as string;

    // Changed through the API token: the token stays, every session goes.
    expect((await change(madeToken.body.token, agent.password, 'agent picked this one')).status).toBe(204);
    expect((await desk.request(asToken(madeToken.body.token), 'GET', '/api/v1/tickets')).status).toBe(200);
    expect((await desk.request(agent, 'GET', '/api/v1/auth/me')).status).toBe(401);
    expect((await desk.request(asToken(secondSession), 'GET', '/api/v1/auth/me')).status).toBe(401);

    // Changed through a session: the API token goes.
    const session = (await login(agent.email, 'agent picked this one')).body.token as string;
    expect((await change(session, 'agent picked this one', 'and then another one')).status).toBe(204);
    expect((await desk.request(asToken(madeToken.body.token), 'GET', '/api/v1/auth/me')).status).toBe(401);
    expect((await desk.request(asToken(session), 'GET', '/api/v1/auth/me')).status).toBe(200);
  });

  it("a password set by an admin or manager ends that person's sessions and API tokens", async () => {
    const manager = await desk.as('manager');
    const agent = await desk.as('agent');
    const apiToken = (await desk.request(agent, 'POST', '/api/v1/auth/tokens', { name: 'script' })).body.token as string;
    const secondSession = (await login(agent.email, agent.password)).body.token as string;
    expect((await desk.request(asToken(apiToken), 'GET', '/api/v1/tickets')).status).toBe(200);

    expect((await desk.request(manager, 'PATCH', `/api/v1/staff/${agent.id}`, { password: 'set by the manager' })).status).toBe(200);
    for (const token of [agent.token, secondSession, apiToken]) {
      expect((await desk.request(asToken(token), 'GET', '/api/v1/auth/me')).status).toBe(401);
    }
    expect((await login(agent.email, agent.password)).status).toBe(401);
    expect((await login(agent.email, 'set by the manager')).status).toBe(200);

    // An admin setting their own password here keeps the credential making the request, like POST /auth/password.
    const admin = await desk.as('admin');
    const adminToken = (await desk.request(admin, 'POST', '/api/v1/auth/tokens', { name: 'admin script' })).body.token as string;
    const adminOther = (await login(admin.email, admin.password)).body.token as string;
    expect((await desk.request(admin, 'PATCH', `/api/v1/staff/${admin.id}`, { password: 'the admin chose this' })).status).toBe(200);
    expect((await desk.request(admin, 'GET', '/api/v1/auth/me')).status).toBe(200);
    expect((await desk.request(asToken(adminOther), 'GET', '/api/v1/auth/me')).status).toBe(401);
    expect((await desk.request(asToken(adminToken), 'GET', '/api/v1/auth/me')).status).toBe(401);
  });

  it('does not force a change of a password the operator chose', async () => {
    const chosen = await startDesk({ env: { FRONTLINE_ADMIN_EMAIL: 'boss@example.com', FRONTLINE_ADMIN_PASSWORD: 'operator chosen secret' } });
    try {
      expect((await ensureFirstAdmin(chosen.ctx))?.generated).toBe(false);
      const res = await chosen.request(null, 'POST', '/api/v1/auth/login', { email: 'boss@example.com', password: 'operator chosen secret' });
      expect(res.body.user.mustChangePassword).toBe(false);
      expect((await chosen.request(asToken(res.body.token), 'GET', '/api/v1/tickets')).status).toBe(200);
    } finally {
      await chosen.close();
    }
  });
});

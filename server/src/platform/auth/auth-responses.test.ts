import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectDocumented } from '../../../test/documented.js';
import { startDesk, type Account, type TestDesk } from '../../../test/harness.js';
import { portalCustomer } from '../../../test/portal-customer.js';
import { apiError } from '../openapi.js';
import { apiTokenList, createdApiToken, loginAnswer, me } from './auth.responses.js';

const cookie = (token: string) => ({ cookie: `frontline_session=${token}` });
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('sign-in and API token answers as documented', () => {
  let desk: TestDesk;
  let agent: Account;
  beforeAll(async () => {
    desk = await startDesk();
    const team = await desk.team('Поддержка');
    agent = await desk.as('agent', { teamIds: [team] });
  });
  afterAll(async () => desk?.close());

  it('describes the answers in the OpenAPI document', async () => {
    const doc = (await desk.request(null, 'GET', '/api/openapi.json')).body;
    const login = doc.paths['/api/v1/auth/login'].post.responses;
    expect(Object.keys(login['200'].content['application/json'].schema.properties).sort()).toEqual(['csrfToken', 'expiresAt', 'token', 'user']);
    expect(doc.paths['/api/v1/auth/logout'].post.responses['204'].description).toBeTruthy();
    expect(doc.paths['/api/v1/auth/me'].get.responses['200'].content['application/json'].schema.properties).toHaveProperty('teamIds');
    expect(doc.paths['/api/v1/auth/tokens'].post.responses['201'].content['application/json'].schema.properties).toHaveProperty('token');
    expect(doc.paths['/api/v1/auth/tokens/{id}'].delete.responses).toHaveProperty('204');
  });

  it('sign-in, who am I (Bearer and cookie) and sign-out match', async () => {
    const res = await desk.request(null, 'POST', '/api/v1/auth/login', { email: agent.email, password: agent.password });
    expect(res.status).toBe(200);
    expectDocumented(loginAnswer, res.body);
    expect(res.body.user).toMatchObject({ id: agent.id, role: 'agent', customerId: null });
    expect(res.body.user.teamIds).toHaveLength(1);
    // No field named like a hash (the random token itself may spell "hash" by chance, so values are not searched).
    expect(JSON.stringify(res.body)).not.toMatch(/"[^"]*hash[^"]*":/i);

    const viaBearer = await desk.request(null, 'GET', '/api/v1/auth/me', undefined, bearer(res.body.token));
    expectDocumented(me, viaBearer.body);
    expect(viaBearer.body).not.toHaveProperty('csrfToken');
    const viaCookie = await desk.request(null, 'GET', '/api/v1/auth/me', undefined, cookie(res.body.token));
    expectDocumented(me, viaCookie.body);
    expect(viaCookie.body.csrfToken).toBe(res.body.csrfToken);

    const out = await desk.request(null, 'POST', '/api/v1/auth/logout', undefined, bearer(res.body.token));
    expect(out.status).toBe(204);
    expect(out.body).toBeUndefined();
    const gone = await desk.request(null, 'GET', '/api/v1/auth/me', undefined, bearer(res.body.token));
    expect(gone.status).toBe(401);
    expectDocumented(apiError, gone.body);
  });

  it('a portal customer signs in and sees themselves the same way', async () => {
    const customer = await portalCustomer(desk, await desk.as('manager'), 'فاطمة الزهراء');
    const who = await desk.request(customer, 'GET', '/api/v1/auth/me');
    expectDocumented(me, who.body);
    expect(who.body).toMatchObject({ name: 'فاطمة الزهراء', role: 'customer', customerId: customer.customerId, teamIds: [] });
  });

  it('API tokens: created once with the token, listed without it, revoked with no body', async () => {
    const created = await desk.request(agent, 'POST', '/api/v1/auth/tokens', { name: '集成 — CRM 同步' });
    expect(created.status).toBe(201);
    expectDocumented(createdApiToken, created.body);
    expect(created.body.token).toMatch(/^flt_/);

    const list = await desk.request(agent, 'GET', '/api/v1/auth/tokens');
    expect(list.status).toBe(200);
    expectDocumented(apiTokenList, list.body);
    expect(list.body.data).toEqual([expect.objectContaining({ id: created.body.id, name: '集成 — CRM 同步' })]);
    expect(JSON.stringify(list.body)).not.toContain(created.body.token);

    // The new token works as Bearer, and is gone once revoked.
    expect((await desk.request(null, 'GET', '/api/v1/auth/me', undefined, bearer(created.body.token))).status).toBe(200);
    const revoked = await desk.request(agent, 'DELETE', `/api/v1/auth/tokens/${created.body.id}`);
    expect(revoked.status).toBe(204);
    expect(revoked.body).toBeUndefined();
    expect((await desk.request(null, 'GET', '/api/v1/auth/me', undefined, bearer(created.body.token))).status).toBe(401);
    expectDocumented(apiTokenList, (await desk.request(agent, 'GET', '/api/v1/auth/tokens')).body);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDesk, type Account, type TestDesk } from '../../../test/harness.js';

let desk: TestDesk;
let admin: Account;

beforeAll(async () => {
  desk = await startDesk();
  admin = await desk.as('admin');
});
afterAll(async () => desk?.close());

describe('staff and teams', () => {
  it('adds staff with tier, skills and teams, and changes availability and language', async () => {
    const l2 = await desk.request(admin, 'POST', '/api/v1/teams', { name: 'Level 2', tier: 2, timeZone: 'Asia/Tehran' });
    expect(l2.status).toBe(201);
    const dup = await desk.request(admin, 'POST', '/api/v1/teams', { name: 'Level 2' });
    expect(dup.status).toBe(409);

    const created = await desk.request(admin, 'POST', '/api/v1/staff', {
      email: 'Reza@Desk.test',
      name: 'Reza Ahmadi',
      role: 'agent',
      tier: 2,
      skills: ['network', '1c'],
      language: 'fa',
      password: 'a long enough secret',
      teamIds: [l2.body.id],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ email: 'reza@desk.test', role: 'agent', tier: 2, skills: ['network', '1c'], availability: 'offline', teamIds: [l2.body.id] });
    expect(JSON.stringify(created.body)).not.toMatch(/password|hash/i);

    const short = await desk.request(admin, 'POST', '/api/v1/staff', { email: 'x@desk.test', name: 'X', role: 'agent', password: 'short' });
    expect(short.status).toBe(400);
    expect(short.body.error.field).toBe('password');

    const login = await desk.request(null, 'POST', '/api/v1/auth/login', { email: 'reza@desk.test', password: 'a long enough secret' });
    expect(login.status).toBe(200);
    const reza = { headers: { authorization: `Bearer ${login.body.token}` } } as unknown as Account;
    const me = await desk.request(reza, 'PATCH', '/api/v1/me', { availability: 'online', language: 'ar' });
    expect(me.body).toMatchObject({ availability: 'online', language: 'ar' });

    const online = await desk.request(admin, 'GET', `/api/v1/staff?teamId=${l2.body.id}&availability=online`);
    expect(online.body.data.map((u: { id: string }) => u.id)).toEqual([created.body.id]);

    const team = await desk.request(admin, 'GET', '/api/v1/teams');
    const members = team.body.data.find((t: { id: string }) => t.id === l2.body.id).members;
    expect(members).toEqual([expect.objectContaining({ id: created.body.id, availability: 'online' })]);

    const disabled = await desk.request(admin, 'PATCH', `/api/v1/staff/${created.body.id}`, { active: false });
    expect(disabled.status).toBe(200);
    const after = await desk.request(reza, 'GET', '/api/v1/auth/me');
    expect(after.status).toBe(401);
  });

  it('a deactivated account comes back with no sessions or API tokens from before', async () => {
    const agent = await desk.as('agent');
    const made = await desk.request(agent, 'POST', '/api/v1/auth/tokens', { name: 'nightly export' });
    expect(made.status).toBe(201);
    const asToken = { headers: { authorization: `Bearer ${made.body.token}` } } as unknown as Account;
    const session = await desk.request(null, 'POST', '/api/v1/auth/login', { email: agent.email, password: agent.password });
    const asSession = { headers: { authorization: `Bearer ${session.body.token}` } } as unknown as Account;

    expect((await desk.request(admin, 'PATCH', `/api/v1/staff/${agent.id}`, { active: false })).status).toBe(200);
    for (const who of [agent, asToken, asSession]) expect((await desk.request(who, 'GET', '/api/v1/auth/me')).status).toBe(401);
    expect((await desk.request(admin, 'PATCH', `/api/v1/staff/${agent.id}`, { active: true })).status).toBe(200);
    for (const who of [agent, asToken, asSession]) expect((await desk.request(who, 'GET', '/api/v1/auth/me')).status).toBe(401);
    // They sign in afresh; the token list starts empty.
    const again = await desk.request(null, 'POST', '/api/v1/auth/login', { email: agent.email, password: agent.password });
    expect(again.status).toBe(200);
    const fresh = { headers: { authorization: `Bearer ${again.body.token}` } } as unknown as Account;
    expect((await desk.request(fresh, 'GET', '/api/v1/auth/tokens')).body.data).toEqual([]);
  });

  it('keeps one active admin: the last one cannot be switched off or demoted, by themselves or anyone', async () => {
    const own = await startDesk();
    try {
      const boss = await own.as('admin');
      const admins = (await own.request(boss, 'GET', '/api/v1/staff?role=admin')).body.data as { id: string; active: boolean }[];
      for (const a of admins.filter((a) => a.id !== boss.id && a.active)) expect((await own.request(boss, 'PATCH', `/api/v1/staff/${a.id}`, { active: false })).status).toBe(200);
      for (const change of [{ active: false }, { role: 'manager' }]) {
        const res = await own.request(boss, 'PATCH', `/api/v1/staff/${boss.id}`, change);
        expect(res.status).toBe(409);
        expect(res.body.error.code).toBe('last_admin');
      }
      expect((await own.request(boss, 'GET', '/api/v1/auth/me')).status).toBe(200);
      // With a second admin, either may step down.
      const next = await own.as('agent');
      expect((await own.request(boss, 'PATCH', `/api/v1/staff/${next.id}`, { role: 'admin' })).status).toBe(200);
      expect((await own.request(boss, 'PATCH', `/api/v1/staff/${boss.id}`, { role: 'manager' })).status).toBe(200);
    } finally {
      await own.close();
    }
  });

  it('gives a customer a portal account that sees only their own requests', async () => {
    const customer = await desk.request(admin, 'POST', '/api/v1/customers', { name: 'Leila', emails: ['leila@example.ir'], language: 'fa' });
    const account = await desk.request(admin, 'POST', '/api/v1/portal-accounts', { customerId: customer.body.id, email: 'leila@example.ir', password: 'portal password 1' });
    expect(account.status).toBe(201);
    expect(account.body.role).toBe('customer');
    const login = await desk.request(null, 'POST', '/api/v1/auth/login', { email: 'leila@example.ir', password: 'portal password 1' });
    const leila = { headers: { authorization: `Bearer ${login.body.token}` } } as unknown as Account;
    const mine = await desk.request(leila, 'POST', '/api/v1/tickets', { subject: 'اینترنت قطع است', channel: 'portal', body: 'از صبح اینترنت ندارم' });
    expect(mine.status).toBe(201);
    expect(mine.body.requester.id).toBe(customer.body.id);
    await desk.request(admin, 'POST', '/api/v1/tickets', { subject: 'Someone else', channel: 'email', requester: { email: 'other@example.com' }, body: 'x' });
    const list = await desk.request(leila, 'GET', '/api/v1/tickets');
    expect(list.body.data.map((t: { id: string }) => t.id)).toEqual([mine.body.id]);
    const staff = await desk.request(leila, 'GET', '/api/v1/staff');
    expect(staff.status).toBe(403);
  });

  it("refuses a team time zone no clock could use, and a rename onto another team's name", async () => {
    const team = await desk.request(admin, 'POST', '/api/v1/teams', { name: 'Night shift' });
    for (const timeZone of ['Mars/Olympus', '']) {
      for (const res of [
        await desk.request(admin, 'PATCH', `/api/v1/teams/${team.body.id}`, { timeZone }),
        await desk.request(admin, 'POST', '/api/v1/teams', { name: `Zone ${timeZone}`, timeZone }),
      ]) {
        expect(res.status).toBe(400);
        expect(res.body.error.field).toBe('timeZone');
      }
    }
    // Its tickets still get their promises worked out.
    const t = await desk.request(admin, 'POST', '/api/v1/tickets', { subject: 'x', channel: 'email', requester: { email: 'night@example.com' }, body: 'x', teamId: team.body.id });
    expect(t.status).toBe(201);
    const renamed = await desk.request(admin, 'PATCH', `/api/v1/teams/${team.body.id}`, { name: 'Level 2' });
    expect(renamed.status).toBe(409);
    expect(renamed.body.error).toMatchObject({ code: 'team_exists', field: 'name' });
    expect((await desk.request(admin, 'PATCH', `/api/v1/teams/${team.body.id}`, { name: 'Night shift', timeZone: 'Asia/Tehran' })).status).toBe(200);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../platform/clock.js';
import { startDesk, type Account, type TestDesk } from '../../../test/harness.js';
import { newTicket, targetOf } from '../../../test/promises.js';

const clock = new ManualClock(new Date('2026-11-24T10:00:00Z')); // a Tuesday, within office hours
let desk: TestDesk;
let admin: Account;

beforeAll(async () => {
  desk = await startDesk({ clock });
  admin = await desk.as('admin');
});
afterAll(async () => desk?.close());

describe('SLA policies by service tier', () => {
  it('a premium organization gets its own promise, and a customer tier of their own overrides it', async () => {
    const org = await desk.request(admin, 'POST', '/api/v1/organizations', { name: 'Parsian Bank', tier: 'Premium' });
    expect(org.status).toBe(201);
    expect(org.body.tier).toBe('premium');
    const premium = await desk.request(admin, 'POST', '/api/v1/sla/policies', {
      name: 'Premium email',
      position: 1,
      conditions: { channels: ['email'], tiers: ['premium'] },
      targets: [{ metric: 'first_response', seconds: 3600, businessHours: true }],
    });
    expect(premium.status).toBe(201);
    await desk.request(admin, 'POST', '/api/v1/sla/policies', {
      name: 'VIP email',
      position: 2,
      conditions: { channels: ['email'], tiers: ['vip'] },
      targets: [{ metric: 'first_response', seconds: 900, businessHours: false }],
    });
    const member = await desk.request(admin, 'POST', '/api/v1/customers', { name: 'Reza Karimi', emails: ['reza@parsian.example'], organizationId: org.body.id });
    const outsider = await desk.request(admin, 'POST', '/api/v1/customers', { name: 'Olga Ivanova', emails: ['olga@mail.example'] });

    const fromMember = await newTicket(desk, admin, { channel: 'email', requester: undefined, requesterId: member.body.id });
    expect(targetOf(fromMember, 'first_response')).toMatchObject({ dueAt: '2026-11-24T11:00:00.000Z' });
    const fromOutsider = await newTicket(desk, admin, { channel: 'email', requester: undefined, requesterId: outsider.body.id });
    expect(targetOf(fromOutsider, 'first_response')).toMatchObject({ dueAt: '2026-11-24T14:00:00.000Z' });

    // The customer's own tier comes before their organization's.
    const vip = await desk.request(admin, 'PATCH', `/api/v1/customers/${member.body.id}`, { tier: 'VIP' });
    expect(vip.body.tier).toBe('vip');
    const asVip = await newTicket(desk, admin, { channel: 'email', requester: undefined, requesterId: member.body.id });
    expect(targetOf(asVip, 'first_response')).toMatchObject({ dueAt: '2026-11-24T10:15:00.000Z' });

    // The organization loses its tier: its people fall back to the desk's default promise.
    await desk.request(admin, 'PATCH', `/api/v1/customers/${member.body.id}`, { tier: null });
    const changed = await desk.request(admin, 'PATCH', `/api/v1/organizations/${org.body.id}`, { tier: null });
    expect(changed.status).toBe(200);
    expect(changed.body.tier).toBeNull();
    const plain = await newTicket(desk, admin, { channel: 'email', requester: undefined, requesterId: member.body.id });
    expect(targetOf(plain, 'first_response')).toMatchObject({ dueAt: '2026-11-24T14:00:00.000Z' });
  });

  it('lets only admins and managers set a service tier; agents still edit the rest', async () => {
    const agent = await desk.as('agent');
    const manager = await desk.as('manager');
    const customer = await desk.request(agent, 'POST', '/api/v1/customers', { name: 'Reza Tehrani', emails: ['reza@example.ir'] });
    expect(customer.status).toBe(201);
    for (const [method, url, body] of [
      ['PATCH', `/api/v1/customers/${customer.body.id}`, { tier: 'vip' }],
      ['POST', '/api/v1/customers', { name: 'Self-made VIP', emails: ['vip@example.ir'], tier: 'vip' }],
      ['POST', '/api/v1/organizations', { name: 'Tier Smugglers', tier: 'premium' }],
    ] as const) {
      const refused = await desk.request(agent, method, url, body);
      expect(refused.status, url).toBe(403);
      expect(refused.body.error).toMatchObject({ code: 'forbidden_field', field: 'tier' });
    }
    expect((await desk.request(agent, 'PATCH', `/api/v1/customers/${customer.body.id}`, { name: 'Reza Tehrani-Moghaddam' })).status).toBe(200);
    const set = await desk.request(manager, 'PATCH', `/api/v1/customers/${customer.body.id}`, { tier: 'vip' });
    expect(set.status).toBe(200);
    expect(set.body.tier).toBe('vip');
  });

  it('refuses a bad tier naming the field, and a duplicate organization name', async () => {
    const bad = await desk.request(admin, 'POST', '/api/v1/sla/policies', { name: 'Bad', conditions: { tiers: [''] }, targets: [] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toMatch(/^conditions\.tiers/);
    await desk.request(admin, 'POST', '/api/v1/organizations', { name: 'Taken Ltd' });
    const other = await desk.request(admin, 'POST', '/api/v1/organizations', { name: 'Free Ltd' });
    const clash = await desk.request(admin, 'PATCH', `/api/v1/organizations/${other.body.id}`, { name: 'taken ltd' });
    expect(clash.status).toBe(409);
    expect(clash.body.error.code).toBe('organization_exists');
    expect((await desk.request(admin, 'PATCH', '/api/v1/organizations/00000000-0000-4000-8000-000000000000', { tier: 'gold' })).status).toBe(404);
  });
});

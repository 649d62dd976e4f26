import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectDocumented } from '../../../test/documented.js';
import { startDesk, type Account, type TestDesk } from '../../../test/harness.js';
import { drainJobs, newTicket } from '../../../test/promises.js';
import { ManualClock } from '../../platform/clock.js';
import { atRiskList, businessCalendar, calendarList, notificationList, notificationsRead, policyList, slaPolicy } from './sla.responses.js';

describe('SLA answers as documented', () => {
  const clock = new ManualClock(new Date('2026-11-24T10:00:00Z')); // a Tuesday
  let desk: TestDesk;
  let admin: Account;
  beforeAll(async () => {
    desk = await startDesk({ clock });
    admin = await desk.as('admin');
  });
  afterAll(async () => desk?.close());

  it('describes the answers in the OpenAPI document', async () => {
    const doc = (await desk.request(null, 'GET', '/api/openapi.json')).body;
    const json = (op: any, status: string) => op.responses[status].content['application/json'].schema;
    expect(json(doc.paths['/api/v1/sla/calendars'].get, '200').properties).toHaveProperty('data');
    expect(json(doc.paths['/api/v1/sla/calendars'].post, '201').properties).toHaveProperty('holidays');
    expect(doc.paths['/api/v1/sla/calendars/{id}'].delete.responses['204'].description).toBeTruthy();
    expect(json(doc.paths['/api/v1/sla/policies/{id}'].patch, '200').properties).toHaveProperty('breachActions');
    expect(doc.paths['/api/v1/sla/policies/{id}'].delete.responses).toHaveProperty('204');
    expect(Object.keys(json(doc.paths['/api/v1/sla/targets'].get, '200').properties)).toEqual(['data', 'nextCursor']);
    expect(Object.keys(json(doc.paths['/api/v1/notifications'].get, '200').properties)).toEqual(['data', 'nextCursor']);
    expect(json(doc.paths['/api/v1/notifications/read'].post, '200').properties).toHaveProperty('updated');
  });

  it('calendars: list, add for a team, change and remove match their schemas', async () => {
    const list = await desk.request(admin, 'GET', '/api/v1/sla/calendars');
    expect(list.status).toBe(200);
    expectDocumented(calendarList, list.body);
    expect(list.body.data).toContainEqual(expect.objectContaining({ isDefault: true, teamId: null, timeZone: null }));

    const team = await desk.team('فريق الرياض');
    const created = await desk.request(admin, 'POST', '/api/v1/sla/calendars', {
      name: 'ساعات عمل الرياض',
      teamId: team,
      timeZone: 'Asia/Riyadh',
      hours: [0, 1, 2, 3, 4].map((day) => ({ day, start: '08:00', end: '16:00' })), // Sunday to Thursday
      holidays: ['2026-12-02'],
    });
    expect(created.status).toBe(201);
    expectDocumented(businessCalendar, created.body);
    expect(created.body).toMatchObject({ teamId: team, isDefault: false, holidays: ['2026-12-02'] });

    const changed = await desk.request(admin, 'PATCH', `/api/v1/sla/calendars/${created.body.id}`, {
      hours: [{ day: 0, start: '08:00', end: '24:00' }, ...[1, 2, 3, 4].map((day) => ({ day, start: '08:00', end: '16:00' }))],
      holidays: ['2026-12-02', '2027-02-22'],
    });
    expect(changed.status).toBe(200);
    expectDocumented(businessCalendar, changed.body);
    expectDocumented(calendarList, (await desk.request(admin, 'GET', '/api/v1/sla/calendars')).body);
    // A change of one field keeps the others (the holidays are not reset to none).
    const renamed = await desk.request(admin, 'PATCH', `/api/v1/sla/calendars/${created.body.id}`, { name: 'ساعات عمل الرياض (رمضان)' });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ name: 'ساعات عمل الرياض (رمضان)', timeZone: 'Asia/Riyadh', holidays: ['2026-12-02', '2027-02-22'] });

    const removed = await desk.request(admin, 'DELETE', `/api/v1/sla/calendars/${created.body.id}`);
    expect(removed.status).toBe(204);
    expect(removed.body).toBeUndefined(); // no body
    expect((await desk.request(admin, 'GET', '/api/v1/sla/calendars')).body.data.map((c: { id: string }) => c.id)).not.toContain(created.body.id);
  });

  it('policies: list, add with every condition and action, change and remove match their schemas', async () => {
    const list = await desk.request(admin, 'GET', '/api/v1/sla/policies');
    expect(list.status).toBe(200);
    expectDocumented(policyList, list.body);

    const [vip, rescue] = [await desk.team('VIP-поддержка'), await desk.team('Спасатели')];
    const supervisor = await desk.as('supervisor');
    const org = await desk.request(admin, 'POST', '/api/v1/organizations', { name: 'ООО «Северный ветер»', domains: ['severny.example.ru'] });
    expect(org.status).toBe(201);
    const created = await desk.request(admin, 'POST', '/api/v1/sla/policies', {
      name: 'Золотые клиенты',
      position: 2,
      conditions: {
        channels: ['email', 'phone'],
        priorities: ['high', 'urgent'],
        organizationIds: [org.body.id],
        tiers: ['Gold'],
        categories: ['Оплата'],
        teamIds: [vip],
        tags: ['срочно'],
      },
      targets: [
        { metric: 'first_response', seconds: 3600 },
        { metric: 'resolution', seconds: 8 * 3600, businessHours: false },
      ],
      warnAt: 0.5,
      breachActions: { raisePriority: true, reassignTeamId: rescue, notifyUserIds: [supervisor.id] },
    });
    expect(created.status).toBe(201);
    expectDocumented(slaPolicy, created.body);
    expect(created.body.conditions.tiers).toEqual(['gold']);

    // Sent whole, as the settings screen does.
    const { id, updatedAt: _updatedAt, ...fields } = created.body;
    const changed = await desk.request(admin, 'PATCH', `/api/v1/sla/policies/${id}`, { ...fields, name: 'Золотые клиенты (ночь)', active: false, breachActions: { reassignTeamId: null } });
    expect(changed.status).toBe(200);
    expectDocumented(slaPolicy, changed.body);
    expect(changed.body).toMatchObject({ active: false, position: 2, breachActions: { reassignTeamId: null } });
    expectDocumented(policyList, (await desk.request(admin, 'GET', '/api/v1/sla/policies')).body);
    // A change of one field keeps the others: not switched back on, not moved, conditions and actions kept.
    const renamed = await desk.request(admin, 'PATCH', `/api/v1/sla/policies/${id}`, { name: 'Золотые клиенты (день)' });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ name: 'Золотые клиенты (день)', active: false, position: 2, warnAt: 0.5, conditions: fields.conditions, breachActions: { reassignTeamId: null } });

    const removed = await desk.request(admin, 'DELETE', `/api/v1/sla/policies/${id}`);
    expect(removed.status).toBe(204);
    expect(removed.body).toBeUndefined(); // no body
  });

  it('at-risk targets and notifications of warnings and breaches match their schemas', async () => {
    const team = await desk.team('Чат');
    const agent = await desk.as('agent', { teamIds: [team] });
    const supervisor = await desk.as('supervisor', { teamIds: [team] });
    clock.set(new Date('2026-11-24T10:00:00Z'));
    // Chat: first response in 60 s of wall-clock time, warned at 45 s.
    const t = await newTicket(desk, admin, { channel: 'chat', teamId: team, assigneeId: agent.id, subject: 'Не приходит код подтверждения' });

    clock.advance(46_000);
    await drainJobs(desk);
    const warning = await desk.request(supervisor, 'GET', '/api/v1/sla/targets?state=warning');
    expect(warning.status).toBe(200);
    expectDocumented(atRiskList, warning.body);
    expect(warning.body.data).toContainEqual(expect.objectContaining({ ticket: expect.objectContaining({ id: t.id, assigneeId: agent.id, teamId: team }) }));

    clock.advance(20_000);
    await drainJobs(desk);
    for (const state of ['breached', 'at_risk']) {
      const risky = await desk.request(supervisor, 'GET', `/api/v1/sla/targets?state=${state}&limit=10`);
      expect(risky.status).toBe(200);
      expectDocumented(atRiskList, risky.body);
      expect(risky.body.data.find((r: any) => r.ticket.id === t.id).target).toMatchObject({ metric: 'first_response', state: 'breached' });
    }

    const unread = await desk.request(agent, 'GET', '/api/v1/notifications?unread=true');
    expect(unread.status).toBe(200);
    expectDocumented(notificationList, unread.body);
    expect(unread.body.data.map((n: any) => n.kind).sort()).toEqual(['sla.breached', 'sla.warning']);
    expect(unread.body.data[0].data).toMatchObject({ number: t.number, subject: 'Не приходит код подтверждения' });

    const read = await desk.request(agent, 'POST', '/api/v1/notifications/read', { ids: unread.body.data.map((n: any) => n.id) });
    expect(read.status).toBe(200);
    expectDocumented(notificationsRead, read.body);
    expect(read.body.updated).toBe(2);
    const none = await desk.request(agent, 'POST', '/api/v1/notifications/read', { ids: [] });
    expectDocumented(notificationsRead, none.body);
    expect(none.body.updated).toBe(0);

    const all = await desk.request(agent, 'GET', '/api/v1/notifications?limit=10');
    expectDocumented(notificationList, all.body);
    expect(all.body.data.every((n: any) => n.readAt === clock.now().toISOString())).toBe(true);
  });
});

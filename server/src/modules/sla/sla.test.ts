import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../platform/clock.js';
import { startDesk, type Account, type TestDesk } from '../../../test/harness.js';
import { drainJobs, eventsOf, newTicket, targetOf } from '../../../test/promises.js';
import { portalCustomer } from '../../../test/portal-customer.js';

const S = 1000;
const H = 3600 * S;

describe('targets on a fresh desk (default calendar Mon–Fri 09–17 UTC)', () => {
  const clock = new ManualClock(new Date('2026-11-24T10:00:00Z')); // a Tuesday
  let desk: TestDesk;
  let admin: Account;
  beforeAll(async () => {
    desk = await startDesk({ clock });
    admin = await desk.as('admin');
  });
  afterAll(async () => desk?.close());

  it('gives an email ticket a first response 4 business hours out, and a phone ticket 30 s', async () => {
    clock.set(new Date('2026-11-24T10:00:00Z'));
    const email = await newTicket(desk, admin, { channel: 'email' });
    expect(targetOf(email, 'first_response')).toMatchObject({ dueAt: '2026-11-24T14:00:00.000Z', state: 'active', businessHours: true });
    const phone = await newTicket(desk, admin, { channel: 'phone' });
    expect(targetOf(phone, 'answer')).toMatchObject({ dueAt: '2026-11-24T10:00:30.000Z', state: 'active' });
    // A call logged by the agent who took it was answered.
    const taken = await newTicket(desk, admin, { channel: 'phone', assigneeId: admin.id });
    expect(targetOf(taken, 'answer')).toMatchObject({ state: 'met', metAt: '2026-11-24T10:00:00.000Z' });
    const chat = await newTicket(desk, admin, { channel: 'chat' });
    expect(targetOf(chat, 'first_response').dueAt).toBe('2026-11-24T10:01:00.000Z');
    const voicemail = await newTicket(desk, admin, { channel: 'phone', tags: ['voicemail'] });
    expect(targetOf(voicemail, 'callback').dueAt).toBe('2026-11-24T10:30:00.000Z');
    expect(targetOf(voicemail, 'answer')).toBeUndefined();
    // The same email on a Friday afternoon falls due on Monday.
    clock.set(new Date('2026-11-20T16:00:00Z'));
    const friday = await newTicket(desk, admin, { channel: 'email' });
    expect(targetOf(friday, 'first_response').dueAt).toBe('2026-11-23T12:00:00.000Z');
  });

  it('meets the first response with a public reply, not with a note', async () => {
    clock.set(new Date('2026-11-24T10:00:00Z'));
    const customer = await portalCustomer(desk, admin, 'Portal customer');
    const t = await newTicket(desk, admin, { channel: 'email', requester: undefined, requesterId: customer.customerId });
    clock.advance(10 * 60 * S);
    await desk.request(admin, 'POST', `/api/v1/tickets/${t.id}/messages`, { body: 'Checking the logs.', internal: true });
    expect(targetOf((await desk.request(admin, 'GET', `/api/v1/tickets/${t.id}`)).body, 'first_response').state).toBe('active');
    await desk.request(admin, 'POST', `/api/v1/tickets/${t.id}/messages`, { body: 'Hello, we are on it.' });
    const after = (await desk.request(admin, 'GET', `/api/v1/tickets/${t.id}`)).body;
    expect(targetOf(after, 'first_response')).toMatchObject({ state: 'met', metAt: '2026-11-24T10:10:00.000Z' });
    expect(targetOf(after, 'next_response')).toBeUndefined();
    // The customer writes back at 11:10: a next response is owed, 8 business hours later.
    clock.advance(H);
    const reply = await desk.request(customer, 'POST', `/api/v1/tickets/${t.id}/messages`, { body: 'The error is back.' });
    expect(reply.status).toBe(201);
    const owed = (await desk.request(admin, 'GET', `/api/v1/tickets/${t.id}`)).body;
    expect(targetOf(owed, 'next_response')).toMatchObject({ state: 'active', dueAt: '2026-11-25T11:10:00.000Z' });
    // The customer sees the promises made to them, never the internal level-2 clock.
    const mine = (await desk.request(customer, 'GET', `/api/v1/tickets/${t.id}`)).body;
    expect(mine.sla.map((x: { metric: string }) => x.metric)).toEqual(['first_response', 'next_response']);
    expect(mine.escalation).toBeNull();
  });

  it('pauses every clock while the ticket waits on the customer and resumes with what was left', async () => {
    clock.set(new Date('2026-11-24T10:00:00Z'));
    const policy = await desk.request(admin, 'POST', '/api/v1/sla/policies', {
      name: 'Billing',
      position: 5,
      conditions: { categories: ['billing'] },
      targets: [{ metric: 'resolution', seconds: 8 * 3600, businessHours: true }],
    });
    expect(policy.status).toBe(201);
    const t = await newTicket(desk, admin, { channel: 'email', category: 'billing' });
    // 8 business hours from Tuesday 10:00: 7 today, 1 on Wednesday.
    expect(targetOf(t, 'resolution').dueAt).toBe('2026-11-25T10:00:00.000Z');
    clock.advance(H); // 11:00, one business hour used
    const pending = await desk.request(admin, 'PATCH', `/api/v1/tickets/${t.id}`, { status: 'pending' });
    expect(targetOf(pending.body, 'resolution')).toMatchObject({ state: 'paused', dueAt: null, remainingSeconds: 7 * 3600 });
    // Two days pass; the breach that was due on Wednesday 10:00 must not fire while paused.
    clock.set(new Date('2026-11-26T09:30:00Z'));
    await drainJobs(desk);
    expect(await eventsOf(desk, admin, t.id, 'sla.breached')).toHaveLength(0);
    const resumed = await desk.request(admin, 'PATCH', `/api/v1/tickets/${t.id}`, { status: 'open' });
    // Thursday 09:30 + 7 business hours = 16:30.
    expect(targetOf(resumed.body, 'resolution')).toMatchObject({ state: 'active', dueAt: '2026-11-26T16:30:00.000Z' });
    const solved = await desk.request(admin, 'PATCH', `/api/v1/tickets/${t.id}`, { status: 'solved' });
    expect(targetOf(solved.body, 'resolution').state).toBe('met');
    await desk.request(admin, 'DELETE', `/api/v1/sla/policies/${policy.body.id}`);
  });

  it('counts in the team calendar and time zone', async () => {
    const team = await desk.team(`Tehran desk ${Date.now()}`, 1);
    const cal = await desk.request(admin, 'POST', '/api/v1/sla/calendars', {
      name: 'Tehran',
      teamId: team,
      timeZone: 'Asia/Tehran',
      hours: [6, 0, 1, 2, 3].map((day) => ({ day, start: '08:00', end: '16:00' })), // Saturday to Wednesday
      holidays: ['2026-11-25'],
    });
    expect(cal.status).toBe(201);
    clock.set(new Date('2026-11-24T10:00:00Z')); // Tuesday 13:30 in Tehran
    const t = await newTicket(desk, admin, { channel: 'email', teamId: team });
    // 2.5 h left on Tuesday; Wednesday is a holiday, Thursday and Friday closed; Saturday 08:00 + 1.5 h.
    expect(targetOf(t, 'first_response').dueAt).toBe('2026-11-28T06:00:00.000Z');
    // Moving the ticket to a team on the default calendar recomputes with the time already used.
    clock.advance(H);
    const moved = await desk.request(admin, 'PATCH', `/api/v1/tickets/${t.id}`, { teamId: null });
    expect(targetOf(moved.body, 'first_response').dueAt).toBe('2026-11-24T14:00:00.000Z');
  });

  it('refuses bad settings with a code naming the field, and non-admins', async () => {
    const badZone = await desk.request(admin, 'POST', '/api/v1/sla/calendars', { name: 'x', teamId: await desk.team(`z ${Date.now()}`), timeZone: 'Mars/Olympus', hours: [{ day: 1, start: '09:00', end: '17:00' }] });
    expect(badZone.status).toBe(400);
    expect(badZone.body.error.field).toBe('timeZone');
    // Open on Mondays, and every Monday of the coming year a holiday: no time to count promises in.
    const today = clock.now();
    const lastMonday = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() - ((today.getUTCDay() + 6) % 7));
    const mondays = Array.from({ length: 54 }, (_, i) => new Date(lastMonday + 7 * i * 86_400_000).toISOString().slice(0, 10));
    const closedTeam = await desk.team(`closed ${Date.now()}`);
    const closed = { name: 'closed', teamId: closedTeam, hours: [{ day: 1, start: '09:00', end: '17:00' }], holidays: mondays };
    const neverOpen = await desk.request(admin, 'POST', '/api/v1/sla/calendars', closed);
    expect(neverOpen.status).toBe(400);
    expect(neverOpen.body.error).toMatchObject({ code: 'calendar_never_open', field: 'holidays' });
    const open = await desk.request(admin, 'POST', '/api/v1/sla/calendars', { ...closed, holidays: mondays.filter((_, i) => i !== 10) });
    expect(open.status).toBe(201);
    const closing = await desk.request(admin, 'PATCH', `/api/v1/sla/calendars/${open.body.id}`, { holidays: mondays });
    expect(closing.body.error.code).toBe('calendar_never_open');
    const badHours = await desk.request(admin, 'POST', '/api/v1/sla/policies', { name: 'x', targets: [{ metric: 'first_response', seconds: 0 }] });
    expect(badHours.status).toBe(400);
    expect(badHours.body.error.field).toBe('targets.0.seconds');
    const agent = await desk.as('agent');
    const refused = await desk.request(agent, 'POST', '/api/v1/sla/policies', { name: 'x', targets: [] });
    expect(refused.status).toBe(403);
    const list = await desk.request(agent, 'GET', '/api/v1/sla/policies');
    expect(list.body.data.map((p: { name: string }) => p.name)).toEqual(['Voicemail', 'Phone', 'Chat', 'Email', 'Everything else']);
  });
});

describe('warnings and breaches', () => {
  const clock = new ManualClock(new Date('2026-11-24T10:00:00Z'));
  let desk: TestDesk;
  let admin: Account;
  beforeAll(async () => {
    desk = await startDesk({ clock });
    admin = await desk.as('admin');
  });
  afterAll(async () => desk?.close());

  it('fire once each as the clock moves, and reach the assignee and the team supervisor', async () => {
    const team = await desk.team('Chat desk', 1);
    const agent = await desk.as('agent', { teamIds: [team] });
    const supervisor = await desk.as('supervisor', { teamIds: [team] });
    clock.set(new Date('2026-11-24T10:00:00Z'));
    const t = await newTicket(desk, admin, { channel: 'chat', teamId: team, assigneeId: agent.id });
    expect(targetOf(t, 'first_response').warnAt).toBe('2026-11-24T10:00:45.000Z');

    clock.advance(44 * S);
    await drainJobs(desk);
    expect(await eventsOf(desk, admin, t.id, 'sla.warning')).toHaveLength(0);
    clock.advance(2 * S);
    await drainJobs(desk);
    await drainJobs(desk);
    expect(await eventsOf(desk, admin, t.id, 'sla.warning')).toHaveLength(1);
    expect(targetOf((await desk.request(agent, 'GET', `/api/v1/tickets/${t.id}`)).body, 'first_response').state).toBe('warning');

    clock.advance(15 * S);
    await drainJobs(desk);
    clock.advance(60 * S);
    await drainJobs(desk);
    const breaches = await eventsOf(desk, admin, t.id, 'sla.breached');
    expect(breaches).toHaveLength(1);
    expect(breaches[0].data).toMatchObject({ metric: 'first_response', dueAt: '2026-11-24T10:01:00.000Z' });
    expect(await eventsOf(desk, admin, t.id, 'sla.warning')).toHaveLength(1);

    for (const who of [agent, supervisor]) {
      const n = await desk.request(who, 'GET', `/api/v1/notifications?unread=true`);
      expect(n.body.data.filter((x: any) => x.ticketId === t.id).map((x: any) => x.kind).sort()).toEqual(['sla.breached', 'sla.warning']);
    }
    const risky = await desk.request(supervisor, 'GET', '/api/v1/sla/targets?state=breached');
    expect(risky.body.data.map((r: any) => r.ticket.id)).toContain(t.id);
    const read = await desk.request(agent, 'POST', '/api/v1/notifications/read', { ids: (await desk.request(agent, 'GET', '/api/v1/notifications')).body.data.map((x: any) => x.id) });
    expect(read.body.updated).toBe(2);
    // A late reply still counts as met, but the target stays breached.
    const late = await desk.request(agent, 'POST', `/api/v1/tickets/${t.id}/messages`, { body: 'Sorry for the wait!' });
    expect(targetOf(late.body.ticket, 'first_response')).toMatchObject({ state: 'breached', metAt: expect.any(String) });
  });

  it('runs the policy breach actions: raise priority and hand to another team', async () => {
    const l1 = await desk.team('Phones', 1);
    const rescue = await desk.team('Rescue', 1);
    const policy = await desk.request(admin, 'POST', '/api/v1/sla/policies', {
      name: 'Urgent phones',
      position: 1,
      conditions: { channels: ['phone'], teamIds: [l1] },
      targets: [{ metric: 'answer', seconds: 30, businessHours: false }],
      warnAt: 0.5,
      breachActions: { raisePriority: true, reassignTeamId: rescue },
    });
    expect(policy.status).toBe(201);
    clock.set(new Date('2026-11-24T12:00:00Z'));
    const t = await newTicket(desk, admin, { channel: 'phone', teamId: l1 });
    expect(targetOf(t, 'answer').warnAt).toBe('2026-11-24T12:00:15.000Z');
    clock.advance(31 * S);
    await drainJobs(desk);
    const after = (await desk.request(admin, 'GET', `/api/v1/tickets/${t.id}`)).body;
    expect(after.priority).toBe('high');
    expect(after.team.id).toBe(rescue);
    const changed = await eventsOf(desk, admin, t.id, 'ticket.priority_changed');
    expect(changed[0].data).toMatchObject({ from: 'normal', to: 'high', auto: { by: 'sla' } });
    expect(await eventsOf(desk, admin, t.id, 'sla.warning')).toHaveLength(1);
    expect(await eventsOf(desk, admin, t.id, 'sla.breached')).toHaveLength(1);
    await desk.request(admin, 'DELETE', `/api/v1/sla/policies/${policy.body.id}`);
  });
});

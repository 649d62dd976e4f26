import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectDocumented } from '../../../test/documented.js';
import { startDesk, type Account, type TestDesk } from '../../../test/harness.js';
import { portalCustomer } from '../../../test/portal-customer.js';
import { drainJobs, newTicket } from '../../../test/promises.js';
import { ManualClock } from '../../platform/clock.js';
import { notificationList } from '../sla/sla.responses.js';
import { agentReport, customerEscalation, escalation, escalationCreated, escalationList, followUp, followUpList } from './escalation.responses.js';

describe('escalation, follow-up and report answers as documented', () => {
  const clock = new ManualClock(new Date('2026-11-24T10:00:00Z'));
  let desk: TestDesk;
  let admin: Account;
  let l1: string;
  let agent: Account;
  let supervisor: Account;
  beforeAll(async () => {
    desk = await startDesk({ clock });
    admin = await desk.as('admin');
    l1 = await desk.team('الدعم الأول', 1);
    await desk.team('الدعم الثاني', 2);
    agent = await desk.as('agent', { teamIds: [l1] });
    supervisor = await desk.as('supervisor', { teamIds: [l1] });
  });
  afterAll(async () => desk?.close());

  it('describes the answers in the OpenAPI document', async () => {
    const doc = (await desk.request(null, 'GET', '/api/openapi.json')).body;
    const escalations = doc.paths['/api/v1/tickets/{id}/escalations'];
    expect(escalations.post.responses['201'].content['application/json'].schema.anyOf).toHaveLength(2);
    expect(escalations.get.responses['200'].content['application/json'].schema.properties).toHaveProperty('data');
    expect(doc.paths['/api/v1/tickets/{id}/follow-ups'].post.responses['201'].content['application/json'].schema.properties).toHaveProperty('dueAt');
    expect(doc.paths['/api/v1/reports/agents'].get.responses['200'].content['application/json'].schema.properties).toHaveProperty('teams');
  });

  it('an agent escalates, a customer asks: each answer matches its own shape, and the list holds both', async () => {
    clock.set(new Date('2026-11-24T10:00:00Z'));
    const customer = await portalCustomer(desk, admin, 'فاطمة الزهراء');
    const t = await newTicket(desk, admin, { teamId: l1, assigneeId: agent.id, requester: undefined, requesterId: customer.customerId, subject: 'لا يمكنني تسجيل الدخول' });

    const asked = await desk.request(customer, 'POST', `/api/v1/tickets/${t.id}/escalations`, { reason: 'هذه المرة الثالثة التي أكتب فيها' });
    expect(asked.status).toBe(201);
    expectDocumented(escalationCreated, asked.body);
    expectDocumented(customerEscalation, asked.body);
    expect(asked.body).toEqual({ id: expect.any(String), to: 'tier2', reason: 'هذه المرة الثالثة التي أكتب فيها', createdAt: '2026-11-24T10:00:00.000Z' });

    clock.advance(60_000);
    const summary = { tried: 'أعدت تعيين كلمة المرور مرتين.', customerAnswers: 'Windows 11، متصفح Chrome، الخطأ "invalid grant".' };
    const escalated = await desk.request(agent, 'POST', `/api/v1/tickets/${t.id}/escalations`, { to: 'supervisor', reason: 'العميلة غاضبة من تكرار المشكلة', summary });
    expect(escalated.status).toBe(201);
    expectDocumented(escalationCreated, escalated.body);
    expectDocumented(escalation, escalated.body);
    expect(escalated.body).toMatchObject({ requestedBy: 'agent', by: { id: agent.id }, summary, toUserId: supervisor.id });

    const list = await desk.request(supervisor, 'GET', `/api/v1/tickets/${t.id}/escalations`);
    expect(list.status).toBe(200);
    expectDocumented(escalationList, list.body);
    expect(list.body.data.map((e: any) => e.requestedBy)).toEqual(['agent', 'customer']);
    expect(list.body.data[1]).toMatchObject({ by: { id: customer.customerId, name: 'فاطمة الزهراء' }, summary: null, toUserId: null });

    const notes = await desk.request(supervisor, 'GET', '/api/v1/notifications');
    expectDocumented(notificationList, notes.body);
    expect(notes.body.data.find((n: any) => n.kind === 'ticket.escalation_requested').data).toMatchObject({ requestedBy: 'customer', number: t.number });
  });

  it('follow-ups: the promise, the list, and the reminder and missed notices match their schemas', async () => {
    clock.set(new Date('2026-11-24T12:00:00Z'));
    const t = await newTicket(desk, admin, { teamId: l1, assigneeId: agent.id });
    const promised = await desk.request(agent, 'POST', `/api/v1/tickets/${t.id}/follow-ups`, { dueAt: '2026-11-24T16:00:00+03:00', note: 'Перезвоню после проверки платежа' });
    expect(promised.status).toBe(201);
    expectDocumented(followUp, promised.body);
    expect(promised.body).toMatchObject({ agentId: agent.id, dueAt: '2026-11-24T13:00:00.000Z', state: 'pending', remindedAt: null });

    clock.set(new Date('2026-11-24T12:45:00Z'));
    await drainJobs(desk);
    clock.set(new Date('2026-11-24T13:00:00Z'));
    await drainJobs(desk);
    const list = await desk.request(agent, 'GET', `/api/v1/tickets/${t.id}/follow-ups`);
    expect(list.status).toBe(200);
    expectDocumented(followUpList, list.body);
    expect(list.body.data[0]).toMatchObject({ state: 'missed', remindedAt: '2026-11-24T12:45:00.000Z', missedAt: '2026-11-24T13:00:00.000Z' });

    const notes = await desk.request(agent, 'GET', '/api/v1/notifications?unread=true');
    expectDocumented(notificationList, notes.body);
    const kinds = notes.body.data.filter((n: any) => n.ticketId === t.id).map((n: any) => n.kind);
    expect(kinds.sort()).toEqual(['followup.missed', 'followup.reminder']);
  });

  it('the agent report matches its schema, for all time and for a period', async () => {
    const solved = await newTicket(desk, admin, { teamId: l1, assigneeId: agent.id });
    await desk.request(agent, 'PATCH', `/api/v1/tickets/${solved.id}`, { status: 'solved' });
    const all = await desk.request(supervisor, 'GET', '/api/v1/reports/agents');
    expect(all.status).toBe(200);
    expectDocumented(agentReport, all.body);
    expect(all.body.agents.find((a: any) => a.id === agent.id)).toMatchObject({ escalations: 1, solved: 1, firstContactResolutionRate: 1 });
    // A period with nothing in it: every team, no agents.
    const empty = await desk.request(supervisor, 'GET', '/api/v1/reports/agents?from=2020-01-01T00:00:00Z&to=2020-02-01T00:00:00%2B04:00');
    expect(empty.status).toBe(200);
    expectDocumented(agentReport, empty.body);
    expect(empty.body.agents).toEqual([]);
    expect(empty.body.teams.length).toBeGreaterThanOrEqual(2);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../platform/clock.js';
import { startDesk, type Account, type TestDesk } from '../../../test/harness.js';
import { eq } from 'drizzle-orm';
import { drainJobs, newTicket } from '../../../test/promises.js';
import { portalCustomer } from '../../../test/portal-customer.js';
import { ticketSlaTargets } from '../sla/sla.table.js';

const S = 1000;
type Item = { id: string; sla: { metric: string; dueAt: string | null; state: string } | null };

describe('SLA in the ticket list', () => {
  // Tuesday 10:00 UTC, inside the default calendar's hours. Chat: first response in 60 s, warning at 45 s.
  const clock = new ManualClock(new Date('2026-11-24T10:00:00Z'));
  let desk: TestDesk;
  let admin: Account;
  let agent: Account;
  let chatLate: string; // due 10:01:00, breached once past it
  let chatSoon: string; // due 10:02:30
  let email: string; // due 14:00
  let otherTeam: string; // another team's chat, breached; the agent must not see it
  let solved: string; // no open target
  beforeAll(async () => {
    desk = await startDesk({ clock });
    admin = await desk.as('admin');
    const team = await desk.team('Front desk');
    const other = await desk.team('Back office');
    agent = await desk.as('agent', { teamIds: [team] });
    chatLate = (await newTicket(desk, admin, { channel: 'chat', teamId: team })).id;
    otherTeam = (await newTicket(desk, admin, { channel: 'chat', teamId: other })).id;
    email = (await newTicket(desk, admin, { channel: 'email', teamId: team })).id;
    solved = (await newTicket(desk, admin, { channel: 'email', teamId: team, status: 'solved' })).id;
    clock.set(new Date('2026-11-24T10:01:30Z'));
    chatSoon = (await newTicket(desk, admin, { channel: 'chat', teamId: team })).id;
  });
  afterAll(async () => desk?.close());

  const list = async (who: Account, query: string) => {
    const res = await desk.request(who, 'GET', `/api/v1/tickets?${query}`);
    expect(res.status).toBe(200);
    return res.body as { data: Item[]; nextCursor: string | null };
  };
  const ids = async (who: Account, query: string) => (await list(who, query)).data.map((t) => t.id);
  /** Walks every page of `query` two tickets at a time. */
  const allPages = async (who: Account, query: string) => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { data: Item[]; nextCursor: string | null } = await list(who, `${query}&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.data.map((t) => t.id));
      cursor = page.nextCursor;
    } while (cursor);
    return seen;
  };

  it('gives each item its most urgent open target, live from the clock', async () => {
    clock.set(new Date('2026-11-24T10:00:50Z'));
    const items = (await list(admin, 'limit=50')).data;
    const byId = new Map(items.map((t) => [t.id, t.sla]));
    // Past 45 s of 60: at risk, though no warning job has run.
    expect(byId.get(chatLate)).toEqual({ metric: 'first_response', dueAt: '2026-11-24T10:01:00.000Z', warnAt: null, state: 'at_risk' });
    expect(byId.get(email)).toEqual({ metric: 'first_response', dueAt: '2026-11-24T14:00:00.000Z', warnAt: '2026-11-24T13:00:00.000Z', state: 'active' });
    expect(byId.get(solved)).toBeNull();
  });

  it('filters at risk and breached, before and after the timer jobs run', async () => {
    clock.set(new Date('2026-11-24T10:02:20Z'));
    expect(new Set(await ids(admin, 'sla=breached'))).toEqual(new Set([chatLate, otherTeam]));
    expect(await ids(admin, 'sla=at_risk')).toEqual([chatSoon]);
    await drainJobs(desk);
    expect(new Set(await ids(admin, 'sla=breached'))).toEqual(new Set([chatLate, otherTeam]));
    expect(await ids(admin, 'sla=at_risk')).toEqual([chatSoon]);
    const late = (await list(admin, 'sla=breached')).data.find((t) => t.id === chatLate);
    expect(late?.sla).toEqual({ metric: 'first_response', dueAt: '2026-11-24T10:01:00.000Z', warnAt: null, state: 'breached' });
    // A pending ticket's clocks stop: not at risk any more, shown as paused.
    await desk.request(admin, 'PATCH', `/api/v1/tickets/${email}`, { status: 'pending' });
    const paused = (await list(admin, 'limit=50')).data.find((t) => t.id === email);
    expect(paused?.sla).toMatchObject({ metric: 'first_response', state: 'paused', dueAt: null });
    await desk.request(admin, 'PATCH', `/api/v1/tickets/${email}`, { status: 'open' });
    const bad = await desk.request(admin, 'GET', '/api/v1/tickets?sla=late');
    expect(bad.status).toBe(400);
  });

  it('sorts by next due time, nulls last both ways, across cursor pages', async () => {
    clock.set(new Date('2026-11-24T10:02:20Z'));
    const asc = await allPages(admin, 'sort=slaDueAt');
    // The two breached chats share a due time within a second; order among them is by due then id.
    expect(asc.slice(2)).toEqual([chatSoon, email, solved]);
    expect(new Set(asc.slice(0, 2))).toEqual(new Set([chatLate, otherTeam]));
    const desc = await allPages(admin, 'sort=-slaDueAt');
    expect(desc.slice(0, 2)).toEqual([email, chatSoon]);
    expect(desc[desc.length - 1]).toBe(solved);
    expect(desc).toHaveLength(5);
    // One page in one go gives the same order as walking the cursor.
    expect(await ids(admin, 'sort=slaDueAt&limit=50')).toEqual(asc);
  });

  it('keeps the agent to their own tickets, in the list and in the counts', async () => {
    clock.set(new Date('2026-11-24T10:02:20Z'));
    expect(await ids(agent, 'sla=breached')).toEqual([chatLate]);
    expect(await allPages(agent, 'sort=slaDueAt')).toEqual([chatLate, chatSoon, email, solved]);
    const mine = await desk.request(agent, 'GET', '/api/v1/tickets/counts');
    expect(mine.body).toMatchObject({ breached: 1, atRisk: 1 });
    const all = await desk.request(admin, 'GET', '/api/v1/tickets/counts');
    expect(all.body).toMatchObject({ breached: 2, atRisk: 1 });
  });

  it('lets a breached target go once it is met late', async () => {
    clock.set(new Date('2026-11-24T10:03:00Z'));
    const reply = await desk.request(admin, 'POST', `/api/v1/tickets/${chatLate}/messages`, { body: 'Sorry for the wait, we are on it.' });
    expect(reply.status).toBe(201);
    // The target stays breached in the record, but nothing is owed any more.
    expect((await desk.request(admin, 'GET', `/api/v1/tickets/${chatLate}`)).body.sla.find((x: { metric: string }) => x.metric === 'first_response')).toMatchObject({ state: 'breached' });
    expect(await ids(admin, 'sla=breached')).not.toContain(chatLate);
    expect((await list(admin, 'limit=50')).data.find((t) => t.id === chatLate)?.sla).toBeNull();
    // Nothing owed: it sorts with the tickets that have no open target, after everything due.
    const asc = await allPages(admin, 'sort=slaDueAt');
    expect(asc.slice(0, 3)).toEqual([otherTeam, chatSoon, email]);
    expect(new Set(asc.slice(3))).toEqual(new Set([chatLate, solved]));
    // Waiting on the customer stops the clocks: no due time while pending, the old one back after.
    await desk.request(admin, 'PATCH', `/api/v1/tickets/${chatSoon}`, { status: 'pending' });
    expect((await allPages(admin, 'sort=slaDueAt')).slice(0, 2)).toEqual([otherTeam, email]);
    await desk.request(admin, 'PATCH', `/api/v1/tickets/${chatSoon}`, { status: 'open' });
    expect((await allPages(admin, 'sort=slaDueAt')).slice(0, 3)).toEqual([otherTeam, chatSoon, email]);
    expect((await desk.request(agent, 'GET', '/api/v1/tickets/counts')).body.breached).toBe(1); // chatSoon is past due now
  });
});

describe('SLA counts for customers', () => {
  const clock = new ManualClock(new Date('2026-11-24T10:00:00Z'));
  let desk: TestDesk;
  afterAll(async () => desk?.close());

  it('leave out internal targets, as their lists do', async () => {
    desk = await startDesk({ clock });
    const admin = await desk.as('admin');
    const customer = await portalCustomer(desk, admin, 'Portal customer');
    const ticket = await newTicket(desk, admin, { channel: 'chat', requesterId: customer.customerId, requester: undefined });
    clock.set(new Date('2026-11-24T10:05:00Z'));
    expect((await desk.request(customer, 'GET', '/api/v1/tickets/counts')).body).toMatchObject({ breached: 1 });
    // The same late target as a promise between teams (internal): staff still count it, the customer does not.
    await desk.ctx.db.update(ticketSlaTargets).set({ internal: true }).where(eq(ticketSlaTargets.ticketId, ticket.id));
    expect((await desk.request(customer, 'GET', '/api/v1/tickets/counts')).body).toMatchObject({ breached: 0, atRisk: 0 });
    expect((await desk.request(admin, 'GET', '/api/v1/tickets/counts')).body).toMatchObject({ breached: 1 });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../platform/clock.js';
import { startDesk, type Account, type TestDesk } from '../../../test/harness.js';
import { drainJobs, eventsOf, newTicket } from '../../../test/promises.js';

const clock = new ManualClock(new Date('2026-11-24T10:00:00Z'));
let desk: TestDesk;
let admin: Account;

beforeAll(async () => {
  desk = await startDesk({ clock });
  admin = await desk.as('admin');
});
afterAll(async () => desk?.close());

async function teamWithAgents(name: string, n: number) {
  const team = await desk.team(name, 1);
  const agents: Account[] = [];
  for (let i = 0; i < n; i++) agents.push(await desk.as('agent', { teamIds: [team] }));
  return { team, agents };
}

async function assigneesOf(ids: string[]) {
  const out: (string | null)[] = [];
  for (const id of ids) out.push((await desk.request(admin, 'GET', `/api/v1/tickets/${id}`)).body.assignee?.id ?? null);
  return out;
}

const countBy = (xs: (string | null)[]) => xs.reduce<Record<string, number>>((m, x) => ({ ...m, [String(x)]: (m[String(x)] ?? 0) + 1 }), {});

describe('auto-assignment', () => {
  it('round robin spreads new tickets evenly over the online agents only', async () => {
    const { team, agents } = await teamWithAgents('Round robin', 4);
    const away = agents[3];
    expect((await desk.request(away, 'PATCH', '/api/v1/me', { availability: 'away' })).status).toBe(200);
    const rule = await desk.request(admin, 'PUT', `/api/v1/teams/${team}/assignment-rule`, { strategy: 'round_robin', maxOpenPerAgent: 50 });
    expect(rule.body).toMatchObject({ enabled: true, strategy: 'round_robin', maxOpenPerAgent: 50 });
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) {
      ids.push((await newTicket(desk, admin, { teamId: team })).id);
      await drainJobs(desk);
    }
    const counts = countBy(await assigneesOf(ids));
    expect(counts).toEqual({ [agents[0].id]: 4, [agents[1].id]: 4, [agents[2].id]: 4 });
    // Consecutive tickets go to different agents.
    const order = await assigneesOf(ids.slice(0, 3));
    expect(new Set(order).size).toBe(3);
    const events = await eventsOf(desk, admin, ids[0], 'ticket.assigned');
    expect(events[0].data).toMatchObject({ from: null, auto: { by: 'dispatcher', strategy: 'round_robin' } });
    const opened = (await desk.request(admin, 'GET', `/api/v1/tickets/${ids[0]}`)).body;
    expect(opened.status).toBe('open');
  });

  it('respects the cap: the rest wait unassigned until someone has room', async () => {
    const { team, agents } = await teamWithAgents('Capped', 2);
    await desk.request(admin, 'PUT', `/api/v1/teams/${team}/assignment-rule`, { strategy: 'least_loaded', maxOpenPerAgent: 2 });
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      clock.advance(1000);
      ids.push((await newTicket(desk, admin, { teamId: team })).id);
    }
    await drainJobs(desk);
    const counts = countBy(await assigneesOf(ids));
    expect(counts).toEqual({ [agents[0].id]: 2, [agents[1].id]: 2, null: 2 });
    const queue = await desk.request(admin, 'GET', `/api/v1/tickets?assigneeId=none&teamId=${team}`);
    expect(queue.body.data).toHaveLength(2);
    // Solving one frees a place: the oldest waiting ticket (created first) goes to that agent.
    const queued = (await assigneesOf(ids)).flatMap((a, i) => (a === null ? [ids[i]] : []));
    const mine = (await assigneesOf(ids)).findIndex((a) => a === agents[0].id);
    await desk.request(agents[0], 'PATCH', `/api/v1/tickets/${ids[mine]}`, { status: 'solved' });
    await drainJobs(desk);
    const after = await assigneesOf(ids);
    expect(after.filter((a) => a === agents[0].id)).toHaveLength(3);
    expect(after.filter((a) => a === null)).toHaveLength(1);
    const waiting = (await desk.request(admin, 'GET', `/api/v1/tickets?assigneeId=none&teamId=${team}`)).body.data;
    expect(waiting.map((t: { id: string }) => t.id)).toEqual([queued[1]]);
  });

  it('an agent coming online takes the tickets waiting while nobody was online', async () => {
    const { team, agents } = await teamWithAgents('Night shift', 2);
    for (const a of agents) await desk.request(a, 'PATCH', '/api/v1/me', { availability: 'offline' });
    await desk.request(admin, 'PUT', `/api/v1/teams/${team}/assignment-rule`, { strategy: 'round_robin', maxOpenPerAgent: 2 });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      clock.advance(1000);
      ids.push((await newTicket(desk, admin, { teamId: team })).id);
    }
    await drainJobs(desk);
    expect(await assigneesOf(ids)).toEqual([null, null, null]);
    // Going away is not coming online: nothing moves.
    await desk.request(agents[0], 'PATCH', '/api/v1/me', { availability: 'away' });
    await drainJobs(desk);
    expect(await assigneesOf(ids)).toEqual([null, null, null]);
    // The first to come online takes the oldest two (the cap); a manager bringing the other online hands out the rest.
    expect((await desk.request(agents[0], 'PATCH', '/api/v1/me', { availability: 'online' })).status).toBe(200);
    await drainJobs(desk);
    expect(await assigneesOf(ids)).toEqual([agents[0].id, agents[0].id, null]);
    expect((await desk.request(admin, 'PATCH', `/api/v1/staff/${agents[1].id}`, { availability: 'online' })).status).toBe(200);
    await drainJobs(desk);
    expect(await assigneesOf(ids)).toEqual([agents[0].id, agents[0].id, agents[1].id]);
  });

  it('least loaded picks the agent with the fewest open tickets', async () => {
    const { team, agents } = await teamWithAgents('Least loaded', 2);
    for (let i = 0; i < 3; i++) await newTicket(desk, admin, { teamId: team, assigneeId: agents[0].id });
    await desk.request(admin, 'PUT', `/api/v1/teams/${team}/assignment-rule`, { strategy: 'least_loaded', maxOpenPerAgent: 10 });
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      ids.push((await newTicket(desk, admin, { teamId: team })).id);
      await drainJobs(desk);
    }
    // Agent 1 catches up to 3 before agent 0 gets another.
    expect(await assigneesOf(ids)).toEqual([agents[1].id, agents[1].id, agents[1].id, expect.any(String)]);
  });

  it('skills match prefers the agent whose skills name the category or a tag', async () => {
    const { team, agents } = await teamWithAgents('Skills', 3);
    await desk.request(admin, 'PATCH', `/api/v1/staff/${agents[2].id}`, { skills: ['billing', 'refunds'] });
    await desk.request(admin, 'PUT', `/api/v1/teams/${team}/assignment-rule`, { strategy: 'skills', maxOpenPerAgent: 10 });
    const billing = await newTicket(desk, admin, { teamId: team, category: 'billing' });
    const refund = await newTicket(desk, admin, { teamId: team, tags: ['refunds'] });
    await drainJobs(desk);
    expect(await assigneesOf([billing.id, refund.id])).toEqual([agents[2].id, agents[2].id]);
    const plain = await newTicket(desk, admin, { teamId: team });
    await drainJobs(desk);
    expect((await assigneesOf([plain.id]))[0]).not.toBe(agents[2].id);
  });

  it('a team without a rule keeps its tickets in the unassigned queue; manual transfer with a note works', async () => {
    const { team, agents } = await teamWithAgents('Manual', 2);
    const t = await newTicket(desk, admin, { teamId: team });
    await drainJobs(desk);
    expect((await desk.request(admin, 'GET', `/api/v1/tickets/${t.id}`)).body.assignee).toBeNull();
    const rule = await desk.request(admin, 'GET', `/api/v1/teams/${team}/assignment-rule`);
    expect(rule.body.enabled).toBe(false);
    const moved = await desk.request(admin, 'PATCH', `/api/v1/tickets/${t.id}`, { assigneeId: agents[1].id, note: 'Knows this customer' });
    expect(moved.body.assignee.id).toBe(agents[1].id);
    const bad = await desk.request(admin, 'PUT', `/api/v1/teams/${team}/assignment-rule`, { strategy: 'random' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('strategy');
    const agentTry = await desk.request(agents[0], 'PUT', `/api/v1/teams/${team}/assignment-rule`, { strategy: 'round_robin' });
    expect(agentTry.status).toBe(403);
  });
});

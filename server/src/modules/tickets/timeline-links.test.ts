import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDesk, type Account, type TestDesk } from '../../../test/harness.js';

let desk: TestDesk;
let admin: Account;

beforeAll(async () => {
  desk = await startDesk();
  admin = await desk.as('admin');
});
afterAll(async () => desk?.close());

type Timeline = { data: { type: string; data: Record<string, unknown> }[] };

describe('tickets named in a timeline', () => {
  it('are named only to a reader who may open them', async () => {
    const billing = await desk.team('Links billing');
    const security = await desk.team('Links security');
    const agent = await desk.as('agent', { teamIds: [billing] });
    const open = (subject: string, teamId: string) =>
      desk.request<{ id: string; number: number }>(admin, 'POST', '/api/v1/tickets', { subject, channel: 'email', requester: { email: 'rania@links.test' }, body: 'b', teamId });
    const visible = (await open('Invoice shows the old address', billing)).body;
    const hidden = (await open('Suspicious sign-in from abroad', security)).body;
    expect((await desk.request(admin, 'POST', `/api/v1/tickets/${visible.id}/merge`, { targetId: hidden.id })).status).toBe(200);

    const merged = (t: Timeline) => t.data.find((e) => e.type === 'ticket.merged')!.data;
    // The admin sees where it went.
    const forAdmin = await desk.request<Timeline>(admin, 'GET', `/api/v1/tickets/${visible.id}/timeline`);
    expect(merged(forAdmin.body)).toEqual({ into: hidden.id, intoNumber: hidden.number });
    // The billing agent still reads the billing ticket's history, without the security ticket's id or number.
    const forAgent = await desk.request<Timeline>(agent, 'GET', `/api/v1/tickets/${visible.id}/timeline`);
    expect(forAgent.status).toBe(200);
    expect(merged(forAgent.body)).toEqual({});
    expect(JSON.stringify(forAgent.body)).not.toContain(hidden.id);
    // Nor from the ticket itself, alone or in a list.
    const ticket = await desk.request<{ status: string; mergedIntoId: string | null }>(agent, 'GET', `/api/v1/tickets/${visible.id}`);
    expect(ticket.status).toBe(200);
    expect(ticket.body).toMatchObject({ status: 'closed', mergedIntoId: null });
    const listed = await desk.request<{ data: { id: string; mergedIntoId: string | null }[] }>(agent, 'GET', '/api/v1/tickets?status=closed&limit=200');
    expect(listed.body.data.find((t) => t.id === visible.id)).toMatchObject({ mergedIntoId: null });
    expect(JSON.stringify(listed.body)).not.toContain(hidden.id);
    expect((await desk.request(admin, 'GET', `/api/v1/tickets/${visible.id}`)).body.mergedIntoId).toBe(hidden.id);

    // Once the agent may see it too (joined the team), the link is there for them.
    const joined = await desk.request(admin, 'PATCH', `/api/v1/teams/${security}`, { memberIds: [agent.id] });
    expect(joined.status).toBe(200);
    const later = await desk.request<Timeline>(agent, 'GET', `/api/v1/tickets/${visible.id}/timeline`);
    expect(merged(later.body)).toEqual({ into: hidden.id, intoNumber: hidden.number });
    expect((await desk.request(agent, 'GET', `/api/v1/tickets/${visible.id}`)).body.mergedIntoId).toBe(hidden.id);
  });
});

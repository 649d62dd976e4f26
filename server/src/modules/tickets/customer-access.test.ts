import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDesk, type Account, type TestDesk } from '../../../test/harness.js';
import { portalCustomer, type CustomerAccount } from '../../../test/portal-customer.js';

let desk: TestDesk;
let agent: Account;
let leila: CustomerAccount;
let oleg: CustomerAccount;

beforeAll(async () => {
  desk = await startDesk();
  const admin = await desk.as('admin');
  agent = await desk.as('supervisor');
  leila = await portalCustomer(desk, admin, 'Leila Karimi');
  oleg = await portalCustomer(desk, admin, 'Oleg Petrov');
});
afterAll(async () => desk?.close());

async function portalTicket(who: CustomerAccount, subject: string): Promise<string> {
  const res = await desk.request(who, 'POST', '/api/v1/tickets', { subject, channel: 'portal', body: 'Details follow.' });
  expect(res.status).toBe(201);
  expect(res.body.requester.id).toBe(who.customerId);
  return res.body.id;
}

const file = (name: string, text: string) => ({ filename: name, contentType: 'text/plain', contentBase64: Buffer.from(text).toString('base64') });

describe('a customer sees only their own tickets', () => {
  it("answers 404, not 403, for another customer's ticket, whatever the request", async () => {
    const olegs = await portalTicket(oleg, 'VPN drops every hour');
    const read = await desk.request(leila, 'GET', `/api/v1/tickets/${olegs}`);
    expect(read.status).toBe(404);
    expect(read.body.error.code).toBe('not_found');
    const reply = await desk.request(leila, 'POST', `/api/v1/tickets/${olegs}/messages`, { body: 'Me too!' });
    expect(reply.status).toBe(404);
    // Oleg himself reads it, so the 404 is about who asks.
    expect((await desk.request(oleg, 'GET', `/api/v1/tickets/${olegs}`)).status).toBe(200);
  });

  it('lists only their tickets, even when filtering for someone else', async () => {
    const mine = [await portalTicket(leila, 'Password reset link expired'), await portalTicket(leila, 'Invoice in the wrong currency')];
    const theirs = await portalTicket(oleg, 'Password reset link expired too');
    const staffView = await desk.request(agent, 'GET', '/api/v1/tickets?limit=100');
    expect(staffView.body.data.map((t: { id: string }) => t.id)).toEqual(expect.arrayContaining([...mine, theirs]));

    const list = await desk.request(leila, 'GET', '/api/v1/tickets?limit=100');
    expect(list.status).toBe(200);
    const ids = list.body.data.map((t: { id: string }) => t.id);
    expect(ids).toEqual(expect.arrayContaining(mine));
    expect(list.body.data.every((t: { requester: { id: string } }) => t.requester.id === leila.customerId)).toBe(true);
    expect(ids).not.toContain(theirs);

    const filtered = await desk.request(leila, 'GET', `/api/v1/tickets?requesterId=${oleg.customerId}`);
    expect(filtered.body.data).toEqual([]);
    const searched = await desk.request(leila, 'GET', `/api/v1/tickets?q=${encodeURIComponent('password reset')}`);
    expect(searched.body.data.map((t: { id: string }) => t.id)).toEqual([mine[0]]);
  });
});

describe('how the desk files a request stays with the desk', () => {
  it('a customer sees no category, tags, team or assignee on their ticket, and cannot filter by them', async () => {
    const id = await portalTicket(leila, 'Charged twice for the same order');
    const team = await desk.team('Fraud review');
    const filed = await desk.request(agent, 'PATCH', `/api/v1/tickets/${id}`, { category: 'chargeback-abuse', tags: ['fraud-suspect', 'angry'], teamId: team, assigneeId: agent.id });
    expect(filed.status).toBe(200);
    expect(filed.body.tags).toEqual(['fraud-suspect', 'angry']);

    const read = await desk.request(leila, 'GET', `/api/v1/tickets/${id}`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ category: null, tags: [], team: null, assignee: null });
    const listed = (await desk.request(leila, 'GET', '/api/v1/tickets?limit=100')).body.data.find((t: { id: string }) => t.id === id);
    expect(listed).toMatchObject({ category: null, tags: [], team: null, assignee: null });
    const replied = await desk.request(leila, 'POST', `/api/v1/tickets/${id}/messages`, { body: 'Any news?' });
    expect(replied.status).toBe(201);
    expect(replied.body.ticket).toMatchObject({ category: null, tags: [], team: null, assignee: null });
    expect(JSON.stringify([read.body, listed, replied.body])).not.toMatch(/fraud-suspect|chargeback-abuse/);

    // Asking by tag, team or agent would tell them the same, so it is refused, naming the field.
    for (const [query, field] of [
      ['tag=fraud-suspect', 'tag'],
      [`teamId=${team}`, 'teamId'],
      [`assigneeId=${agent.id}`, 'assigneeId'],
      ['assigneeId=none', 'assigneeId'],
    ]) {
      const probe = await desk.request(leila, 'GET', `/api/v1/tickets?${query}`);
      expect(probe.status, query).toBe(400);
      expect(probe.body.error).toMatchObject({ code: 'invalid_request', field });
    }
    // Staff still see and filter by them.
    const staff = await desk.request(agent, 'GET', '/api/v1/tickets?tag=fraud-suspect');
    expect(staff.body.data.map((t: { id: string }) => t.id)).toEqual([id]);
  });

  it("a customer's queue counts name no team and tell nothing of who holds their requests", async () => {
    const amina = await portalCustomer(desk, agent, 'Amina Haddad');
    const held = await portalTicket(amina, 'Parcel never arrived');
    await portalTicket(amina, 'Wrong size delivered'); // left unassigned, with no team
    const team = await desk.team('Logistics');
    expect((await desk.request(agent, 'PATCH', `/api/v1/tickets/${held}`, { teamId: team, assigneeId: agent.id })).status).toBe(200);

    const counts = await desk.request(amina, 'GET', '/api/v1/tickets/counts');
    expect(counts.status).toBe(200);
    expect(counts.body).toMatchObject({ open: 2, all: 2, mine: 0, unassigned: 0 });
    expect(counts.body.teams).toEqual({});
    expect(JSON.stringify(counts.body)).not.toContain(team);
    // Staff still count by team and by who holds it.
    const staffCounts = await desk.request(agent, 'GET', '/api/v1/tickets/counts');
    expect(staffCounts.body.teams[team]).toBe(1);
    expect(staffCounts.body.mine).toBeGreaterThanOrEqual(1);
  });
});

describe('internal notes stay internal', () => {
  let ticketId: string;
  let noteFile: string;
  let replyFile: string;
  const secretWord = 'quokkaflux';

  beforeAll(async () => {
    ticketId = await portalTicket(leila, 'Charged after cancelling');
    const note = await desk.request(agent, 'POST', `/api/v1/tickets/${ticketId}/messages`, {
      body: `Customer is on the ${secretWord} list; do not refund without a manager.`,
      internal: true,
      attachments: [file('risk-report.txt', 'internal risk score: high')],
    });
    expect(note.status).toBe(201);
    noteFile = note.body.message.attachments[0].id;
    const reply = await desk.request(agent, 'POST', `/api/v1/tickets/${ticketId}/messages`, {
      body: 'We are checking the charge with the bank.',
      attachments: [file('receipt.txt', 'refund receipt')],
    });
    expect(reply.status).toBe(201);
    replyFile = reply.body.message.attachments[0].id;
    // A note can also ride along a change of fields.
    const patched = await desk.request(agent, 'PATCH', `/api/v1/tickets/${ticketId}`, { priority: 'high', note: `Escalated: ${secretWord} again` });
    expect(patched.status).toBe(200);
  });

  it('never returns a note among the messages', async () => {
    const staff = await desk.request(agent, 'GET', `/api/v1/tickets/${ticketId}`);
    expect(staff.body.messages.filter((m: { internal: boolean }) => m.internal)).toHaveLength(2);

    const res = await desk.request(leila, 'GET', `/api/v1/tickets/${ticketId}`);
    expect(res.status).toBe(200);
    expect(res.body.messages.map((m: { kind: string }) => m.kind)).toEqual(['reply', 'reply']);
    expect(JSON.stringify(res.body)).not.toContain(secretWord);
    expect(JSON.stringify(res.body)).not.toContain('risk-report');
    // Not even their number shows.
    expect(staff.body.messageCount).toBe(4);
    expect(res.body.messageCount).toBe(2);
    const listed = await desk.request(leila, 'GET', '/api/v1/tickets?limit=100');
    expect(listed.body.data.find((t: { id: string }) => t.id === ticketId).messageCount).toBe(2);
    const staffList = await desk.request(agent, 'GET', `/api/v1/tickets?requesterId=${leila.customerId}&limit=100`);
    expect(staffList.body.data.find((t: { id: string }) => t.id === ticketId).messageCount).toBe(4);
  });

  it('does not find a ticket by a word that only a note contains', async () => {
    const staff = await desk.request(agent, 'GET', `/api/v1/tickets?q=${secretWord}`);
    expect(staff.body.data.map((t: { id: string }) => t.id)).toEqual([ticketId]);
    const res = await desk.request(leila, 'GET', `/api/v1/tickets?q=${secretWord}`);
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual([]);
    // A word of a public reply still finds it.
    const pub = await desk.request(leila, 'GET', `/api/v1/tickets?q=bank`);
    expect(pub.body.data.map((t: { id: string }) => t.id)).toEqual([ticketId]);
  });

  it("answers 404 for a note's attachment and serves a reply's", async () => {
    expect((await desk.request(agent, 'GET', `/api/v1/attachments/${noteFile}`)).status).toBe(200);
    const hidden = await desk.request(leila, 'GET', `/api/v1/attachments/${noteFile}`);
    expect(hidden.status).toBe(404);
    expect(hidden.body.error.code).toBe('not_found');
    const shown = await desk.request(leila, 'GET', `/api/v1/attachments/${replyFile}`);
    expect(shown.status).toBe(200);
    expect(shown.body).toBe('refund receipt');
    // Another customer gets nothing of Leila's either.
    expect((await desk.request(oleg, 'GET', `/api/v1/attachments/${replyFile}`)).status).toBe(404);
  });

  it('forbids the timeline, which records every note', async () => {
    expect((await desk.request(agent, 'GET', `/api/v1/tickets/${ticketId}/timeline`)).status).toBe(200);
    const res = await desk.request(leila, 'GET', `/api/v1/tickets/${ticketId}/timeline`);
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('forbidden');
  });
});

describe('what a customer may write', () => {
  it('may not post an internal note, change fields, or route a new ticket', async () => {
    const id = await portalTicket(leila, 'Cannot download my invoice');
    const note = await desk.request(leila, 'POST', `/api/v1/tickets/${id}/messages`, { body: 'psst', internal: true });
    expect(note.status).toBe(403);
    expect(note.body.error.code).toBe('forbidden');
    const patch = await desk.request(leila, 'PATCH', `/api/v1/tickets/${id}`, { priority: 'urgent' });
    expect(patch.status).toBe(403);
    const withStatus = await desk.request(leila, 'POST', `/api/v1/tickets/${id}/messages`, { body: 'Done, thanks', status: 'closed' });
    expect(withStatus.status).toBe(403);
    expect(withStatus.body.error).toMatchObject({ code: 'forbidden_field', field: 'status', fields: ['status'] });
    const routed = await desk.request(leila, 'POST', '/api/v1/tickets', { subject: 'Urgent', channel: 'portal', body: 'Please', assigneeId: agent.id });
    expect(routed.status).toBe(403);
    expect(routed.body.error).toMatchObject({ code: 'forbidden_field', field: 'assigneeId', fields: ['assigneeId'] });

    const after = await desk.request(agent, 'GET', `/api/v1/tickets/${id}`);
    expect(after.body.priority).toBe('normal');
    expect(after.body.messages).toHaveLength(1);
  });

  it("opens tickets only in their own name, whatever requester they send", async () => {
    const res = await desk.request(leila, 'POST', '/api/v1/tickets', {
      subject: 'On behalf of Oleg',
      channel: 'portal',
      body: 'Filed under his name?',
      requesterId: oleg.customerId,
      requester: { email: oleg.email },
    });
    expect(res.status).toBe(201);
    expect(res.body.requester.id).toBe(leila.customerId);
    expect((await desk.request(oleg, 'GET', `/api/v1/tickets/${res.body.id}`)).status).toBe(404);
  });

  it('reopens a solved ticket by replying', async () => {
    const id = await portalTicket(leila, 'App crashes on start');
    const solved = await desk.request(agent, 'PATCH', `/api/v1/tickets/${id}`, { status: 'solved' });
    expect(solved.body.status).toBe('solved');
    const reply = await desk.request(leila, 'POST', `/api/v1/tickets/${id}/messages`, { body: 'It crashes again since this morning.' });
    expect(reply.status).toBe(201);
    expect(reply.body.message.authorKind).toBe('customer');
    expect(reply.body.ticket.status).toBe('open');
    expect(reply.body.ticket.solvedAt).toBeNull();
  });
});

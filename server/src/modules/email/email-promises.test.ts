import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDesk, type Account, type TestDesk } from '../../../test/harness.js';
import { targetOf } from '../../../test/promises.js';
import { ManualClock } from '../../platform/clock.js';
import { drainJobs } from './email-test-kit.js';

// Tuesday 10:00 UTC, inside the default office hours.
const clock = new ManualClock(new Date('2026-11-24T10:00:00Z'));
let desk: TestDesk;
let admin: Account;

const mail = (id: string, extra: string[] = []) =>
  ['From: Leila <leila@example.com>', 'To: support@localhost', 'Subject: VPN keeps dropping', `Message-ID: ${id}`, ...extra, 'Content-Type: text/plain; charset=UTF-8', '', 'The VPN drops every ten minutes.', ''].join('\r\n');

async function receive(raw: string) {
  const res = await desk.app.inject({ method: 'POST', url: '/api/v1/email/inbound', payload: raw, headers: { ...admin.headers, 'content-type': 'message/rfc822' } });
  expect(res.statusCode).toBe(202);
  await drainJobs(desk);
  const list = await desk.request(admin, 'GET', '/api/v1/email/inbound?limit=200');
  return list.body.data.find((i: { id: string }) => i.id === res.json().id) as { ticketId: string; status: string };
}

beforeAll(async () => {
  desk = await startDesk({ clock });
  admin = await desk.as('admin');
});
afterAll(async () => desk?.close());

describe('a request that arrives by email', () => {
  it('gets its SLA targets and goes to the mailbox team by auto-assignment; a customer reply starts the next-response clock', async () => {
    const team = await desk.team('Mail team', 1);
    const agent = await desk.as('agent', { teamIds: [team] });
    await desk.request(admin, 'PUT', `/api/v1/teams/${team}/assignment-rule`, { strategy: 'round_robin', maxOpenPerAgent: 10 });
    const boxes = await desk.request(admin, 'GET', '/api/v1/email/mailboxes');
    await desk.request(admin, 'PATCH', `/api/v1/email/mailboxes/${boxes.body.data[0].id}`, { teamId: team });

    const first = await receive(mail('<vpn-1@example.com>'));
    expect(first.status).toBe('processed');
    const ticket = (await desk.request(admin, 'GET', `/api/v1/tickets/${first.ticketId}`)).body;
    expect(targetOf(ticket, 'first_response')).toMatchObject({ dueAt: '2026-11-24T14:00:00.000Z', state: 'active' });
    expect(ticket.assignee?.id).toBe(agent.id);

    // The agent answers (first response met); the customer writes back by email.
    clock.advance(30 * 60_000);
    await desk.request(agent, 'POST', `/api/v1/tickets/${first.ticketId}/messages`, { body: 'Please try the new client.' });
    clock.advance(30 * 60_000);
    const reply = await receive(mail('<vpn-2@example.com>', ['In-Reply-To: <vpn-1@example.com>', 'References: <vpn-1@example.com>']));
    expect(reply.ticketId).toBe(first.ticketId);
    const after = (await desk.request(admin, 'GET', `/api/v1/tickets/${first.ticketId}`)).body;
    expect(targetOf(after, 'first_response').state).toBe('met');
    // Next response: 8 business hours from 11:00 on Tuesday, with the default 09:00–17:00 calendar.
    expect(targetOf(after, 'next_response')).toMatchObject({ state: 'active', dueAt: '2026-11-25T11:00:00.000Z' });
  });
});

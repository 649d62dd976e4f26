import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDesk, type Account, type TestDesk } from '../../../test/harness.js';
import { portalCustomer, type CustomerAccount } from '../../../test/portal-customer.js';
import { openSocket } from '../../../test/realtime-client.js';
import { drainJobs } from './email-test-kit.js';

/** Who may read what of a ticket that came by email: the callers of tickets/access.test.ts. */
const callers = ['admin', 'manager', 'supervisor', 'dispatcher', 'analyst', 'agentIn', 'agentOut', 'customer', 'anonymous'] as const;
type Caller = (typeof callers)[number];
const fixtures = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../../../test/fixtures/email');

let desk: TestDesk;
let admin: Account;
let customer: CustomerAccount;
let billing: string;
let hardware: string;
let wsUrl: string;
const as = {} as Record<Caller, Account | null>;
const sockets: { close(): void }[] = [];

beforeAll(async () => {
  desk = await startDesk();
  admin = await desk.as('admin');
  billing = await desk.team('Billing');
  hardware = await desk.team('Hardware');
  for (const role of ['admin', 'manager', 'supervisor', 'dispatcher', 'analyst'] as const) as[role] = await desk.as(role);
  as.agentIn = await desk.as('agent', { teamIds: [billing] });
  as.agentOut = await desk.as('agent', { teamIds: [hardware] });
  customer = await portalCustomer(desk, admin, 'Leila Karimi');
  as.customer = customer;
  as.anonymous = null;
  // Replies go to a relay that is down, so every send fails: delivery errors are on record.
  for (const [address, teamId] of [['billing@desk.test', billing], ['hardware@desk.test', hardware]]) {
    const box = await desk.request(admin, 'POST', '/api/v1/email/mailboxes', { address, name: address, teamId, smtpUrl: 'smtp://127.0.0.1:9', autoReplies: false });
    expect(box.status).toBe(201);
  }
  await desk.app.listen({ port: 0, host: '127.0.0.1' });
  wsUrl = `ws://127.0.0.1:${(desk.app.server.address() as AddressInfo).port}/api/v1/realtime`;
});
afterAll(async () => {
  for (const s of sockets) s.close();
  await desk?.close();
});

/** The customer writes to a mailbox; answers the stored message once it is processed. */
async function mailIn(opts: { to: string; id: string; subject: string; inReplyTo?: string }) {
  const raw = [
    `From: Leila Karimi <${customer.email}>`,
    `To: ${opts.to}`,
    `Subject: ${opts.subject}`,
    `Message-ID: ${opts.id}`,
    ...(opts.inReplyTo ? [`In-Reply-To: ${opts.inReplyTo}`, `References: ${opts.inReplyTo}`] : []),
    'Content-Type: text/plain; charset=UTF-8',
    '',
    'My card was charged twice.',
    '',
  ].join('\r\n');
  const res = await desk.app.inject({ method: 'POST', url: `/api/v1/email/inbound?mailbox=${opts.to}`, payload: raw, headers: { ...admin.headers, 'content-type': 'message/rfc822' } });
  expect(res.statusCode).toBe(202);
  await drainJobs(desk);
  const list = await desk.request(admin, 'GET', '/api/v1/email/inbound?limit=200');
  return list.body.data.find((i: { id: string }) => i.id === res.json().id);
}

/** Each caller's status for one request. */
async function statuses(method: string, url: string): Promise<Record<Caller, number>> {
  const got = {} as Record<Caller, number>;
  for (const who of callers) got[who] = (await desk.request(as[who], method, url)).status;
  return got;
}
const row = (...codes: number[]) => Object.fromEntries(callers.map((who, i) => [who, codes[i]]));

describe('a ticket that came by email', () => {
  it("shows its mail and delivery to staff who may see it; the customer gets their messages without delivery or bounce", async () => {
    const first = await mailIn({ to: 'billing@desk.test', id: '<charge-1@example.com>', subject: 'Charged twice' });
    const ticketId = first.ticketId;
    expect((await desk.request(admin, 'GET', `/api/v1/tickets/${ticketId}`)).body.team.id).toBe(billing);
    const staffSocket = await openSocket(wsUrl, as.agentIn!.headers);
    const customerSocket = await openSocket(wsUrl, customer.headers);
    sockets.push(staffSocket, customerSocket);

    expect((await desk.request(as.agentIn, 'POST', `/api/v1/tickets/${ticketId}/messages`, { body: 'We refunded the second charge.' })).status).toBe(201);
    expect((await desk.request(as.agentIn, 'POST', `/api/v1/tickets/${ticketId}/messages`, { body: 'Refund ref RF-88, bank takes 5 days', internal: true })).status).toBe(201);
    await drainJobs(desk); // the send fails: the relay is down
    let mail = (await desk.request(admin, 'GET', `/api/v1/email/tickets/${ticketId}`)).body;
    const out = mail.messages.find((m: { direction: string }) => m.direction === 'out');
    expect(out.delivery.lastError).toMatch(/ECONNREFUSED|connect/i);
    // The address bounces too.
    const bounce = fs.readFileSync(path.join(fixtures, 'bounce.eml'), 'utf8').replace('{{ORIGINAL_ID}}', out.messageIdHeader);
    const bounced = await desk.app.inject({ method: 'POST', url: '/api/v1/email/inbound', payload: bounce, headers: { ...admin.headers, 'content-type': 'message/rfc822' } });
    expect(bounced.statusCode).toBe(202);
    await drainJobs(desk);
    mail = (await desk.request(admin, 'GET', `/api/v1/email/tickets/${ticketId}`)).body;
    expect(mail.messages.find((m: { direction: string }) => m.direction === 'out').delivery).toMatchObject({ status: 'bounced', bounceReason: expect.stringContaining('5.1.1') });

    //                                                              admin manager super dispat analyst agentIn agentOut customer anonymous
    expect(await statuses('GET', `/api/v1/email/tickets/${ticketId}`)).toEqual(row(200, 200, 200, 200, 200, 200, 404, 403, 401));
    expect(await statuses('GET', `/api/v1/email/inbound/${first.id}/raw`)).toEqual(row(200, 200, 403, 403, 403, 403, 403, 403, 401));

    // The customer reads their own words and the public reply: no note, no delivery, no bounce.
    const seen = await desk.request(customer, 'GET', `/api/v1/tickets/${ticketId}`);
    expect(seen.status).toBe(200);
    expect(seen.body.messages.map((m: { body: string }) => m.body)).toEqual(['My card was charged twice.', 'We refunded the second charge.']);
    expect(seen.body.messages.every((m: object) => !('delivery' in m))).toBe(true);
    expect(JSON.stringify(seen.body)).not.toMatch(/RF-88|5\.1\.1|gone@example\.net|ECONNREFUSED/);
    const staffSeen = await desk.request(as.agentIn, 'GET', `/api/v1/tickets/${ticketId}`);
    expect(staffSeen.body.messages.find((m: { body: string }) => m.body === 'We refunded the second charge.').delivery.state).toBe('bounced');

    // Pushed live: staff hear of the bounce; the customer's socket carries nothing of it.
    await staffSocket.next((m) => m.event?.type === 'email.bounced' && m.event.ticketId === ticketId);
    expect((await desk.request(as.agentIn, 'POST', `/api/v1/tickets/${ticketId}/messages`, { body: 'A new card was issued.' })).status).toBe(201);
    await customerSocket.next((m) => m.event?.type === 'message.added' && m.event.ticketId === ticketId);
    expect(customerSocket.messages.map((m) => m.event?.type)).not.toContain('email.bounced');
    expect(JSON.stringify(customerSocket.messages)).not.toMatch(/RF-88|5\.1\.1|gone@example\.net|ECONNREFUSED/);

    // Sending it again: staff who may reply and see the ticket; the first try queues it, the others find it queued.
    //                                                                        admin manager super dispat analyst agentIn agentOut customer anonymous
    expect(await statuses('POST', `/api/v1/email/outbound/${out.delivery.id}/retry`)).toEqual(row(202, 409, 409, 409, 403, 409, 404, 403, 401));
  });

  it('a follow-up opened from a closed ticket is read only by who may see it; the link names it to who may open it, and is staff-only', async () => {
    const first = await mailIn({ to: 'billing@desk.test', id: '<late-1@example.com>', subject: 'Refund missing' });
    const old = first.ticketId;
    expect((await desk.request(admin, 'PATCH', `/api/v1/tickets/${old}`, { status: 'closed' })).status).toBe(200);
    // The reply reaches the Hardware mailbox: the follow-up belongs to that team.
    const late = await mailIn({ to: 'hardware@desk.test', id: '<late-2@example.com>', subject: 'Re: Refund missing', inReplyTo: '<late-1@example.com>' });
    const followUp = late.ticketId;
    expect(followUp).not.toBe(old);
    expect((await desk.request(admin, 'GET', `/api/v1/tickets/${followUp}`)).body.team.id).toBe(hardware);

    //                                                             admin manager super dispat analyst agentIn agentOut customer anonymous
    expect(await statuses('GET', `/api/v1/tickets/${old}`)).toEqual(row(200, 200, 200, 200, 200, 200, 404, 200, 401));
    expect(await statuses('GET', `/api/v1/tickets/${followUp}`)).toEqual(row(200, 200, 200, 200, 200, 404, 200, 200, 401));
    expect(await statuses('GET', `/api/v1/tickets/${old}/timeline`)).toEqual(row(200, 200, 200, 200, 200, 200, 404, 403, 401));
    expect(await statuses('GET', `/api/v1/tickets/${followUp}/timeline`)).toEqual(row(200, 200, 200, 200, 200, 404, 200, 403, 401));
    expect(await statuses('GET', `/api/v1/email/tickets/${followUp}`)).toEqual(row(200, 200, 200, 200, 200, 404, 200, 403, 401));

    // The link is an id and a number in each history, named only to a reader who may open the other ticket.
    type Row = { type: string; data: Record<string, { id: string } | undefined> };
    const link = async (who: Account | null, id: string, type: string, field: string) =>
      ((await desk.request(who, 'GET', `/api/v1/tickets/${id}/timeline`)).body.data as Row[]).find((e) => e.type === type)!.data[field]?.id;
    expect(await link(admin, old, 'ticket.follow_up_created', 'followUp')).toBe(followUp);
    expect(await link(admin, followUp, 'ticket.created', 'followUpOf')).toBe(old);
    expect(await link(as.agentIn, old, 'ticket.follow_up_created', 'followUp')).toBeUndefined();
    expect(await link(as.agentOut, followUp, 'ticket.created', 'followUpOf')).toBeUndefined();
    // The customer's own tickets, both listed for them.
    const listed = (await desk.request(customer, 'GET', '/api/v1/tickets?limit=100')).body.data.map((t: { id: string }) => t.id);
    expect(listed).toEqual(expect.arrayContaining([old, followUp]));
  });
});

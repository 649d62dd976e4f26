import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startDesk, type Account, type TestDesk } from '../../../test/harness.js';
import { openSocket, upgradeStatus } from '../../../test/realtime-client.js';

let desk: TestDesk;
let admin: Account;
let wsUrl: string;
let origin: string;
const sockets: { close(): void }[] = [];

beforeAll(async () => {
  desk = await startDesk();
  admin = await desk.as('admin');
  await desk.app.listen({ port: 0, host: '127.0.0.1' });
  const port = (desk.app.server.address() as AddressInfo).port;
  wsUrl = `ws://127.0.0.1:${port}/api/v1/realtime`;
  origin = `http://127.0.0.1:${port}`;
});
afterAll(async () => {
  for (const s of sockets) s.close();
  await desk?.close();
});

async function socketFor(account: Account) {
  const s = await openSocket(wsUrl, account.headers);
  sockets.push(s);
  return s;
}
const newTicket = async (body: Record<string, unknown>) => {
  const res = await desk.request(admin, 'POST', '/api/v1/tickets', { channel: 'chat', body: 'Привет, у меня не работает оплата.', ...body });
  expect(res.status).toBe(201);
  return res.body as { id: string; number: number };
};

describe('realtime', () => {
  it('pushes ticket events to a Bearer socket, only for tickets the agent may see', async () => {
    const mine = await desk.team('Billing');
    const other = await desk.team('Shipping');
    const agent = await desk.as('agent', { teamIds: [mine] });
    const adminSocket = await socketFor(admin);
    const agentSocket = await socketFor(agent);

    const hidden = await newTicket({ subject: 'Shipping question', requester: { email: 'ship@example.com' }, teamId: other });
    const visible = await newTicket({ subject: 'Оплата не проходит', requester: { email: 'pay@example.ru' }, teamId: mine });

    const created = await agentSocket.next((m) => m.event?.type === 'ticket.created' && m.event.ticketId === visible.id);
    expect(created.event?.data).toMatchObject({ number: visible.number });
    // The admin sees both; events arrive in commit order.
    await adminSocket.next((m) => m.event?.ticketId === visible.id);
    expect(adminSocket.messages.some((m) => m.event?.ticketId === hidden.id)).toBe(true);
    // The shipping ticket was committed before the billing one, so had it been pushed, it would be here already.
    expect(agentSocket.messages.some((m) => m.event?.ticketId === hidden.id)).toBe(false);

    const reply = await desk.request(admin, 'POST', `/api/v1/tickets/${visible.id}/messages`, { body: 'Мы проверяем платёж.' });
    expect(reply.status).toBe(201);
    const added = await agentSocket.next((m) => m.event?.type === 'message.added' && m.event.ticketId === visible.id);
    expect(added.event?.data).toMatchObject({ messageId: reply.body.message.id, internal: false });

    // A message on the hidden ticket, then one on the visible ticket as a barrier.
    await desk.request(admin, 'POST', `/api/v1/tickets/${hidden.id}/messages`, { body: 'Shipping update' });
    await desk.request(admin, 'POST', `/api/v1/tickets/${visible.id}/messages`, { body: 'Barrier', internal: true });
    await agentSocket.next((m) => m.event?.type === 'note.added' && m.event.ticketId === visible.id);
    expect(agentSocket.messages.some((m) => m.event?.ticketId === hidden.id)).toBe(false);

    // Assigning the hidden ticket to the agent makes its events theirs.
    await desk.request(admin, 'PATCH', `/api/v1/tickets/${hidden.id}`, { assigneeId: agent.id });
    await agentSocket.next((m) => m.event?.type === 'ticket.assigned' && m.event.ticketId === hidden.id);

    // Ping is answered.
    agentSocket.ws.send('ping');
    await agentSocket.next((m) => m.kind === 'pong');
  });

  it('a customer gets their own ticket’s public events, never internal notes', async () => {
    const customer = await desk.request(admin, 'POST', '/api/v1/customers', { name: 'Leila Ahmadi', emails: ['leila@example.ir'], language: 'fa' });
    expect(customer.status).toBe(201);
    const portal = await desk.request(admin, 'POST', '/api/v1/portal-accounts', { customerId: customer.body.id, email: 'leila@example.ir', password: 'a long portal password' });
    expect(portal.status).toBe(201);
    const login = await desk.request(null, 'POST', '/api/v1/auth/login', { email: 'leila@example.ir', password: 'a long portal password' });
    expect(login.status).toBe(200);
    const leila = { headers: { authorization: `Bearer ${login.body.token}` } } as unknown as Account;
    const socket = await socketFor(leila);

    const someoneElse = await newTicket({ subject: 'Not hers', requester: { email: 'other@example.com' } });
    const hers = await newTicket({ subject: 'سفارش من کجاست؟', requester: { email: 'leila@example.ir' } });
    await socket.next((m) => m.event?.type === 'ticket.created' && m.event.ticketId === hers.id);
    expect(socket.messages.some((m) => m.event?.ticketId === someoneElse.id)).toBe(false);

    const note = await desk.request(admin, 'POST', `/api/v1/tickets/${hers.id}/messages`, { body: 'Customer is a reseller; check the contract', internal: true });
    expect(note.status).toBe(201);
    // A field change carrying an internal note, too.
    const patched = await desk.request(admin, 'PATCH', `/api/v1/tickets/${hers.id}`, { priority: 'high', note: 'Escalated: reseller contract' });
    expect(patched.status).toBe(200);
    // Staff matters that are not flagged internal: who has it, which team, which tags.
    const agent = await desk.as('agent');
    const moved = await desk.request(admin, 'PATCH', `/api/v1/tickets/${hers.id}`, { assigneeId: agent.id, tags: ['reseller-contract'], status: 'open' });
    expect(moved.status).toBe(200);
    const reply = await desk.request(admin, 'POST', `/api/v1/tickets/${hers.id}/messages`, { body: 'سلام لیلا، سفارش شما در راه است.' });
    expect(reply.status).toBe(201);
    // The public reply came last: once it is here, anything earlier has been delivered or withheld.
    await socket.next((m) => m.event?.type === 'message.added' && m.event.ticketId === hers.id);
    const types = socket.messages.filter((m) => m.event?.ticketId === hers.id).map((m) => m.event!.type);
    expect(types).toEqual(['ticket.created', 'ticket.status_changed', 'message.added']);
    const status = socket.messages.find((m) => m.event?.type === 'ticket.status_changed');
    expect(status?.event?.data).toEqual({ field: 'status', from: 'new', to: 'open' });
    expect(socket.messages.find((m) => m.event?.type === 'message.added')?.event?.data).toEqual({ messageId: reply.body.message.id });
    expect(socket.messages.every((m) => !m.event?.internal)).toBe(true);
    const raw = JSON.stringify(socket.messages);
    expect(raw).not.toContain('reseller');
    expect(raw).not.toContain(note.body.message.id);
    expect(raw).not.toContain(agent.id);
  });

  it('a merge names the other ticket only to staff who may open it', async () => {
    const billing = await desk.team('Merge billing');
    const security = await desk.team('Merge security');
    const agent = await desk.as('agent', { teamIds: [billing] });
    const agentSocket = await socketFor(agent);
    const adminSocket = await socketFor(admin);
    const visible = await newTicket({ subject: 'Invoice address', requester: { email: 'merge@example.com' }, teamId: billing });
    const hidden = await newTicket({ subject: 'Sign-in from abroad', requester: { email: 'merge@example.com' }, teamId: security });
    expect((await desk.request(admin, 'POST', `/api/v1/tickets/${visible.id}/merge`, { targetId: hidden.id })).status).toBe(200);

    const forAdmin = await adminSocket.next((m) => m.event?.type === 'ticket.merged' && m.event.ticketId === visible.id);
    expect(forAdmin.event?.data).toEqual({ into: hidden.id, intoNumber: hidden.number });
    const forAgent = await agentSocket.next((m) => m.event?.type === 'ticket.merged' && m.event.ticketId === visible.id);
    expect(forAgent.event?.data).toEqual({});
    expect(JSON.stringify(agentSocket.messages)).not.toContain(hidden.id);
  });

  it('a socket whose session ended is closed at the next session check', async () => {
    const agent = await desk.as('agent');
    const other = await desk.as('agent');
    const ended = await openSocket(wsUrl, agent.headers);
    const kept = await socketFor(other);
    const closed = new Promise<number>((resolve) => ended.ws.once('close', (code) => resolve(code)));
    expect((await desk.request(agent, 'POST', '/api/v1/auth/logout')).status).toBe(204);
    await desk.hub.recheck();
    expect(await closed).toBe(4401);
    expect(kept.ws.readyState).toBe(kept.ws.OPEN);
  });

  it("a socket of an account deactivated on this node closes within moments, not at the minute's check", async () => {
    const agent = await desk.as('agent');
    const other = await desk.as('agent');
    const leaving = await openSocket(wsUrl, agent.headers);
    const kept = await socketFor(other);
    const closed = new Promise<number>((resolve) => leaving.ws.once('close', (code) => resolve(code)));
    expect((await desk.request(admin, 'PATCH', `/api/v1/staff/${agent.id}`, { active: false })).status).toBe(200);
    // Well before the periodic check (a minute): the change was made on this node.
    const soon = new Promise<string>((resolve) => setTimeout(() => resolve('still open after 10 s'), 10_000).unref());
    expect(await Promise.race([closed, soon])).toBe(4401);
    expect(kept.ws.readyState).toBe(kept.ws.OPEN);
  });

  it('a socket of an account deactivated straight in the database closes within moments too', async () => {
    const agent = await desk.as('agent');
    const leaving = await openSocket(wsUrl, agent.headers);
    const closed = new Promise<number>((resolve) => leaving.ws.once('close', (code) => resolve(code)));
    // As an operator's SQL or another app node would: no request on this node, only the database's notice.
    await desk.ctx.db.execute(sql`update users set active = false where id = ${agent.id}`);
    const soon = new Promise<string>((resolve) => setTimeout(() => resolve('still open after 10 s'), 10_000).unref());
    expect(await Promise.race([closed, soon])).toBe(4401);
  });

  it('stops listening when the last socket leaves, and a socket opened later gets events again', async () => {
    for (const s of sockets.splice(0)) s.close();
    await vi.waitFor(() => expect(desk.hub.size).toBe(0));
    // Nobody to tell: the node is not following events (this ticket reaches nobody).
    await newTicket({ subject: 'Nobody watching', requester: { email: 'quiet@example.com' } });
    const later = await socketFor(admin);
    const t = await newTicket({ subject: 'Someone is back', requester: { email: 'back@example.com' } });
    await later.next((m) => m.event?.ticketId === t.id);
  });

  it('refuses sockets without a session and cookie sockets from another origin', async () => {
    expect(await upgradeStatus(wsUrl, {})).toBe(401);
    expect(await upgradeStatus(wsUrl, { authorization: 'Bearer not-a-token' })).toBe(401);

    const login = await desk.request(null, 'POST', '/api/v1/auth/login', { email: admin.email, password: admin.password });
    const cookie = String(([] as string[]).concat(login.headers['set-cookie'] as string)[0]).split(';')[0];
    expect(cookie).toMatch(/^frontline_session=/);

    expect(await upgradeStatus(wsUrl, { cookie, origin: 'https://evil.example' })).toBe(403);
    expect(await upgradeStatus(wsUrl, { cookie, origin: 'null' })).toBe(403);
    // The same cookie from our own page is fine, and it receives events.
    const own = await openSocket(wsUrl, { cookie, origin });
    sockets.push(own);
    const t = await newTicket({ subject: 'Cookie socket', requester: { email: 'cookie@example.com' } });
    await own.next((m) => m.event?.ticketId === t.id);
  });
});

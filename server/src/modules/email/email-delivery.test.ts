import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDesk, type Account, type TestDesk } from '../../../test/harness.js';
import { portalCustomer } from '../../../test/portal-customer.js';
import { openSocket } from '../../../test/realtime-client.js';
import { ManualClock } from '../../platform/clock.js';
import { drainJobs, headerOf, startSink } from './email-test-kit.js';
import { SEND_RETRY_SECONDS } from './outbound.js';

const fixtures = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../../../test/fixtures/email');

type Msg = { id: string; kind: string; authorKind: string; delivery?: { state: string; attempts: number; lastError: string | null; nextAttemptAt: string | null; outboundId: string } | null };

function mail(opts: { from: string; id: string; replyTo?: string }) {
  return [
    `From: ${opts.from}`,
    'To: support@localhost',
    ...(opts.replyTo ? [`Reply-To: ${opts.replyTo}`] : []),
    'Subject: Cannot sign in',
    `Message-ID: ${opts.id}`,
    'Content-Type: text/plain; charset=UTF-8',
    '',
    'The sign-in page spins forever.',
    '',
  ].join('\r\n');
}

describe('delivery of email replies, on the message in the ticket API', () => {
  let desk: TestDesk;
  let refusing: Awaited<ReturnType<typeof startSink>>;
  let accepting: Awaited<ReturnType<typeof startSink>>;
  let admin: Account;
  let agent: Account;
  let wsUrl: string;
  // Ahead of the wall clock: jobs queued with the database's now() are due at once.
  const clock = new ManualClock(new Date(Date.now() + 86_400_000));

  const post = async (raw: string) => {
    const res = await desk.app.inject({ method: 'POST', url: '/api/v1/email/inbound', payload: raw, headers: { ...admin.headers, 'content-type': 'message/rfc822' } });
    expect(res.statusCode).toBe(202);
    await drainJobs(desk);
    const list = await desk.request(admin, 'GET', '/api/v1/email/inbound?limit=200');
    return list.body.data.find((i: { id: string }) => i.id === res.json().id) as { ticketId: string };
  };
  const reply = async (account: Account, ticketId: string) =>
    ((await desk.request(account, 'GET', `/api/v1/tickets/${ticketId}`)).body.messages as Msg[]).find((m) => m.kind === 'reply' && m.authorKind === 'agent')!;

  beforeAll(async () => {
    refusing = await startSink({ failFirst: 1_000_000 });
    accepting = await startSink();
    // The desk's relay refuses every message (451) until the mailbox is pointed at another one.
    desk = await startDesk({ clock, env: { FRONTLINE_SMTP_URL: refusing.url } });
    admin = await desk.as('admin');
    agent = await desk.as('agent');
    await desk.app.listen({ port: 0, host: '127.0.0.1' });
    wsUrl = `ws://127.0.0.1:${(desk.app.server.address() as AddressInfo).port}/api/v1/realtime`;
  }, 300_000);
  afterAll(async () => {
    await desk?.close();
    await refusing?.close();
    await accepting?.close();
  });

  it('a refused reply shows retrying, then failed; sent again through a working relay it shows sent; customers never see it', async () => {
    const lena = await portalCustomer(desk, admin, 'Lena');
    const inbound = await post(mail({ from: `Lena <${lena.email}>`, id: '<deliv-1@example.com>' }));
    const ticketId = inbound.ticketId;
    expect(ticketId, JSON.stringify(inbound)).toBeTruthy();
    await desk.request(admin, 'PATCH', `/api/v1/tickets/${ticketId}`, { assigneeId: agent.id });
    const socket = await openSocket(wsUrl, agent.headers);
    try {
      const posted = await desk.request(agent, 'POST', `/api/v1/tickets/${ticketId}/messages`, { body: 'Please clear your cookies.' });
      expect(posted.status, JSON.stringify(posted.body)).toBe(201);
      expect((await reply(agent, ticketId)).delivery).toMatchObject({ state: 'queued', attempts: 0, lastError: null });

      await desk.runner.runDue();
      let m = await reply(agent, ticketId);
      expect(m.delivery!.state).toBe('retrying');
      expect(m.delivery!.attempts).toBe(1);
      expect(m.delivery!.lastError).toMatch(/451/);
      expect(new Date(m.delivery!.nextAttemptAt!).getTime()).toBeGreaterThan(clock.now().getTime());
      // It will be tried again on its own: sending it now as well would deliver it twice.
      const early = await desk.request(agent, 'POST', `/api/v1/email/outbound/${m.delivery!.outboundId}/retry`);
      expect(early.status).toBe(409);
      expect(early.body.error.code).toBe('send_pending');
      const pushed = await socket.next((p) => p.event?.type === 'message.delivery' && p.event.data.state === 'retrying');
      expect(pushed.event!.internal).toBe(true);
      expect(pushed.event!.data.messageId).toBe(m.id);

      // Tried again as a mail server would: 1 min, 5 min, 15 min, 1 h, 4 h, 8 h, 10 h, each due
      // exactly then and not before, about a day in all; then failed.
      const started = clock.now().getTime();
      expect(SEND_RETRY_SECONDS.map((s) => s / 60)).toEqual([1, 5, 15, 60, 240, 480, 600]);
      for (const [i, wait] of SEND_RETRY_SECONDS.entries()) {
        expect(m.delivery).toMatchObject({ state: 'retrying', attempts: i + 1 });
        const next = new Date(m.delivery!.nextAttemptAt!).getTime();
        expect(next - clock.now().getTime()).toBe(wait * 1000);
        clock.set(new Date(next - 1000));
        await drainJobs(desk);
        expect((await reply(agent, ticketId)).delivery!.attempts).toBe(i + 1);
        clock.set(new Date(next));
        await drainJobs(desk);
        m = await reply(agent, ticketId);
      }
      expect(clock.now().getTime() - started).toBe(84_060_000);
      m = await reply(agent, ticketId);
      expect(m.delivery).toMatchObject({ state: 'failed', attempts: 8, nextAttemptAt: null });
      expect(m.delivery!.lastError).toMatch(/451/);
      await socket.next((p) => p.event?.type === 'message.delivery' && p.event.data.state === 'failed');
      expect(accepting.received).toHaveLength(0);

      // The relay comes back (the mailbox gets a working one) and the agent sends it again.
      const box = (await desk.request(admin, 'GET', '/api/v1/email/mailboxes')).body.data[0];
      await desk.request(admin, 'PATCH', `/api/v1/email/mailboxes/${box.id}`, { smtpUrl: accepting.url });
      expect((await desk.request(agent, 'POST', `/api/v1/email/outbound/${m.delivery!.outboundId}/retry`)).status).toBe(202);
      await drainJobs(desk);
      m = await reply(agent, ticketId);
      expect(m.delivery).toMatchObject({ state: 'sent', lastError: null, nextAttemptAt: null });
      await socket.next((p) => p.event?.type === 'message.delivery' && p.event.data.state === 'sent');
      const sent = accepting.received.find((r) => r.to.includes(lena.email));
      expect(sent?.raw.toString()).toContain('Please clear your cookies.');
    } finally {
      socket.close();
    }

    // The customer's own message carries no delivery; the customer's view carries none at all.
    const all = (await desk.request(agent, 'GET', `/api/v1/tickets/${ticketId}`)).body.messages as Msg[];
    expect(all.find((x) => x.authorKind === 'customer')!.delivery).toBeNull();
    const own = (await desk.request(lena, 'GET', `/api/v1/tickets/${ticketId}`)).body.messages as Msg[];
    expect(own.some((x) => x.authorKind === 'agent')).toBe(true);
    expect(own.every((x) => !('delivery' in x))).toBe(true);
  }, 120_000);

  it('replies go to the Reply-To address of the customer mail, acknowledgement included', async () => {
    const box = (await desk.request(admin, 'GET', '/api/v1/email/mailboxes')).body.data[0];
    await desk.request(admin, 'PATCH', `/api/v1/email/mailboxes/${box.id}`, { smtpUrl: accepting.url });
    const before = accepting.received.length;
    const inbound = await post(mail({ from: 'Omid <omid@example.com>', id: '<deliv-rt@example.com>', replyTo: 'Help Desk Team <team-inbox@example.org>' }));
    await drainJobs(desk);
    await desk.request(admin, 'POST', `/api/v1/tickets/${inbound.ticketId}/messages`, { body: 'Fixed on our side.' });
    await drainJobs(desk);
    const out = accepting.received.slice(before);
    expect(out.map((r) => r.to)).toEqual([['team-inbox@example.org'], ['team-inbox@example.org']]);
    const replyRaw = out.find((r) => r.raw.toString().includes('Fixed on our side.'))!.raw;
    expect(headerOf(replyRaw, 'To')).toBe('team-inbox@example.org');
    expect(headerOf(replyRaw, 'In-Reply-To')).toBe('<deliv-rt@example.com>');
    expect((await reply(admin, inbound.ticketId)).delivery!.state).toBe('sent');
  }, 60_000);

  it("a bounce of a reply is for staff: the customer's socket and timeline never get it", async () => {
    const box = (await desk.request(admin, 'GET', '/api/v1/email/mailboxes')).body.data[0];
    await desk.request(admin, 'PATCH', `/api/v1/email/mailboxes/${box.id}`, { smtpUrl: accepting.url });
    const parisa = await portalCustomer(desk, admin, 'Parisa');
    const inbound = await post(mail({ from: `Parisa <${parisa.email}>`, id: '<deliv-bounce@example.com>' }));
    const ticketId = inbound.ticketId;
    const customerSocket = await openSocket(wsUrl, parisa.headers);
    const staffSocket = await openSocket(wsUrl, admin.headers);
    try {
      await desk.request(admin, 'POST', `/api/v1/tickets/${ticketId}/messages`, { body: 'Your invoice is attached.' });
      await drainJobs(desk);
      const out = (await desk.request(admin, 'GET', `/api/v1/email/tickets/${ticketId}`)).body.messages.find((m: { direction: string }) => m.direction === 'out');
      const bounce = fs.readFileSync(path.join(fixtures, 'bounce.eml'), 'utf8').replace('{{ORIGINAL_ID}}', out.messageIdHeader);
      expect((await post(bounce)) as unknown).toMatchObject({ status: 'bounce', ticketId });

      const bounced = await staffSocket.next((p) => p.event?.type === 'email.bounced' && p.event.ticketId === ticketId);
      expect(bounced.event!.internal).toBe(true);
      const timeline = (await desk.request(admin, 'GET', `/api/v1/tickets/${ticketId}/timeline`)).body.data as { type: string }[];
      expect(timeline.map((e) => e.type)).toContain('email.bounced');
      // A public reply after it: once the customer has that, the bounce was withheld, not late.
      const barrier = await desk.request(admin, 'POST', `/api/v1/tickets/${ticketId}/messages`, { body: 'Is there another address we can use?' });
      await customerSocket.next((p) => p.event?.type === 'message.added' && p.event.data.messageId === barrier.body.message.id);
      expect(customerSocket.messages.filter((p) => p.event?.ticketId === ticketId).map((p) => p.event!.type)).not.toContain('email.bounced');
      expect(JSON.stringify(customerSocket.messages)).not.toContain('5.1.1');
      expect((await desk.request(parisa, 'GET', `/api/v1/tickets/${ticketId}/timeline`)).status).toBe(403);
      await drainJobs(desk); // the last reply goes out here, not through the next test's relay
    } finally {
      customerSocket.close();
      staffSocket.close();
    }
  }, 60_000);

  it('a permanent refusal (550 unknown user) fails at once with the server answer, not after a day; it can be sent again', async () => {
    const strict = await startSink({ unknownUsers: ['ghost@example.com'] });
    try {
      const box = (await desk.request(admin, 'GET', '/api/v1/email/mailboxes')).body.data[0];
      await desk.request(admin, 'PATCH', `/api/v1/email/mailboxes/${box.id}`, { smtpUrl: strict.url });
      const inbound = await post(mail({ from: 'Ghost <ghost@example.com>', id: '<deliv-550@example.com>' }));
      await drainJobs(desk);
      // The acknowledgement was refused once and is not waiting for another try.
      const mailView = (await desk.request(admin, 'GET', `/api/v1/email/tickets/${inbound.ticketId}`)).body;
      expect(mailView.notifications).toHaveLength(1);
      expect(mailView.notifications[0]).toMatchObject({ kind: 'acknowledgement', status: 'failed', attempts: 1, nextAttemptAt: null });
      expect(mailView.notifications[0].lastError).toMatch(/550 5\.1\.1 <ghost@example\.com>: Recipient address rejected: User unknown/);

      await desk.request(admin, 'POST', `/api/v1/tickets/${inbound.ticketId}/messages`, { body: 'Are you there?' });
      await drainJobs(desk);
      const m = await reply(admin, inbound.ticketId);
      expect(m.delivery).toMatchObject({ state: 'failed', attempts: 1, nextAttemptAt: null });
      expect(m.delivery!.lastError).toMatch(/550 5\.1\.1 .*User unknown/);
      const timeline = (await desk.request(admin, 'GET', `/api/v1/tickets/${inbound.ticketId}/timeline`)).body.data as { type: string; data: { error?: string } }[];
      expect(timeline.find((e) => e.type === 'email.send_failed')?.data.error).toMatch(/550/);
      expect(strict.received).toHaveLength(0);
      // Nothing is left to try it again later.
      clock.advance(86_400_000);
      await drainJobs(desk);
      expect((await reply(admin, inbound.ticketId)).delivery!.attempts).toBe(1);

      // Sent again, the same answer, at once.
      expect((await desk.request(admin, 'POST', `/api/v1/email/outbound/${m.delivery!.outboundId}/retry`)).status).toBe(202);
      await drainJobs(desk);
      expect((await reply(admin, inbound.ticketId)).delivery).toMatchObject({ state: 'failed', attempts: 2, nextAttemptAt: null });
    } finally {
      await strict.close();
    }
  }, 60_000);

  it('a message that cannot become a ticket is listed as failed with what could be read of it', async () => {
    const raw = ['To: support@localhost', 'Subject: Lost sender', 'Message-ID: <no-from@example.com>', '', 'Who am I?', ''].join('\r\n');
    const failed = await post(raw);
    expect(failed).toMatchObject({ status: 'failed', subject: 'Lost sender', messageIdHeader: '<no-from@example.com>', ticketId: null });
    expect((failed as unknown as { error: string }).error).toMatch(/no sender/);
  }, 60_000);
});

describe('a desk with no outbound relay set up', () => {
  let desk: TestDesk;
  let admin: Account;
  const clock = new ManualClock(new Date(Date.now() + 86_400_000));
  beforeAll(async () => {
    desk = await startDesk({ clock });
    admin = await desk.as('admin');
  }, 300_000);
  afterAll(async () => desk?.close());

  it('marks a reply failed at once, saying why, rather than retrying for a day', async () => {
    const res = await desk.app.inject({ method: 'POST', url: '/api/v1/email/inbound', payload: mail({ from: 'Ali <ali@example.com>', id: '<norelay-1@example.com>' }), headers: { ...admin.headers, 'content-type': 'message/rfc822' } });
    expect(res.statusCode).toBe(202);
    await drainJobs(desk);
    const ticketId = (await desk.request(admin, 'GET', '/api/v1/email/inbound?limit=10')).body.data[0].ticketId as string;
    await desk.request(admin, 'POST', `/api/v1/tickets/${ticketId}/messages`, { body: 'Noted.' });
    await drainJobs(desk);
    const m = ((await desk.request(admin, 'GET', `/api/v1/tickets/${ticketId}`)).body.messages as Msg[]).find((x) => x.authorKind === 'agent')!;
    expect(m.delivery).toMatchObject({ state: 'failed', attempts: 1, nextAttemptAt: null });
    expect(m.delivery!.lastError).toMatch(/no outbound SMTP relay/);
  }, 60_000);
});

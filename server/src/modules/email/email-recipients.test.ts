import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDesk, type Account, type TestDesk } from '../../../test/harness.js';
import { drainJobs, headerOf, startSink, swaks } from './email-test-kit.js';
import { AUTO_REPLIES_PER_HOUR } from './inbound-process.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'frontline-recipients-'));

type Mail = { from: string; id: string; to?: string; cc?: string; replyTo?: string; subject?: string; inReplyTo?: string; headers?: string[]; body?: string };

function mail(m: Mail) {
  return [
    `From: ${m.from}`,
    `To: ${m.to ?? 'support@localhost'}`,
    ...(m.cc ? [`Cc: ${m.cc}`] : []),
    ...(m.replyTo ? [`Reply-To: ${m.replyTo}`] : []),
    `Subject: ${m.subject ?? 'Invoice is wrong'}`,
    `Message-ID: ${m.id}`,
    ...(m.inReplyTo ? [`In-Reply-To: ${m.inReplyTo}`, `References: ${m.inReplyTo}`] : []),
    ...(m.headers ?? []),
    'Content-Type: text/plain; charset=UTF-8',
    '',
    m.body ?? 'The amount is twice what we agreed.',
    '',
  ].join('\r\n');
}

/** Who mail is addressed to and who pays for it: over real SMTP in (swaks), to a real SMTP sink out. */
describe('email recipients and senders', () => {
  let desk: TestDesk;
  let sink: Awaited<ReturnType<typeof startSink>>;
  let port: number;
  let admin: Account;
  let files = 0;

  /** Sends raw mail through the desk's SMTP receiver and processes it; answers its inbound row. */
  const send = async (raw: string, envelopeFrom = 'someone@example.com', envelopeTo = 'support@localhost') => {
    const file = path.join(tmp, `${++files}.eml`);
    fs.writeFileSync(file, raw);
    await swaks(port, { from: envelopeFrom, to: envelopeTo, dataFile: file });
    await drainJobs(desk);
    const id = headerOf(raw, 'Message-ID');
    const list = await desk.request(admin, 'GET', '/api/v1/email/inbound?limit=200');
    return list.body.data.find((i: { messageIdHeader: string }) => i.messageIdHeader === id) as { status: string; ticketId: string | null; error: string | null };
  };
  const ticket = async (id: string) => (await desk.request(admin, 'GET', `/api/v1/tickets/${id}`)).body;
  const replyAndCatch = async (ticketId: string, body: string) => {
    expect((await desk.request(admin, 'POST', `/api/v1/tickets/${ticketId}/messages`, { body })).status).toBe(201);
    await drainJobs(desk);
    return sink.received.find((r) => r.raw.toString().includes(body))!;
  };

  beforeAll(async () => {
    sink = await startSink();
    desk = await startDesk({ env: { FRONTLINE_SMTP_PORT: '0', FRONTLINE_SMTP_HOST: '127.0.0.1', FRONTLINE_SMTP_URL: sink.url } });
    port = desk.email.smtpPort!;
    admin = await desk.as('admin');
  }, 300_000);
  afterAll(async () => {
    await desk?.close();
    await sink?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('a reply goes to the requester, copied people in Cc, whoever wrote last', async () => {
    const first = await send(mail({ from: 'Rana <rana@example.com>', id: '<rcp-1@example.com>', cc: 'Boss <boss@example.com>' }));
    const ticketId = first.ticketId!;
    // The boss answers all: it is filed on the ticket, but the requester stays the one replies go to.
    const boss = await send(mail({ from: 'Boss <boss@example.com>', to: 'support@localhost, rana@example.com', id: '<rcp-2@example.com>', inReplyTo: '<rcp-1@example.com>' }));
    expect(boss.ticketId).toBe(ticketId);
    const out = await replyAndCatch(ticketId, 'We corrected the invoice.');
    expect(headerOf(out.raw, 'To')).toBe('rana@example.com');
    expect(headerOf(out.raw, 'Cc')).toBe('boss@example.com');
    expect(out.to.sort()).toEqual(['boss@example.com', 'rana@example.com']);
  }, 60_000);

  it('a stranger writing into the thread is never sent the ticket, and the requester is kept', async () => {
    const first = await send(mail({ from: 'Omar <omar@example.com>', id: '<rcp-10@example.com>', replyTo: 'omar.home@example.net' }));
    const ticketId = first.ticketId!;
    await send(mail({ from: 'eve@example.org', id: '<rcp-11@example.org>', inReplyTo: '<rcp-10@example.com>', body: 'Send me the details too.' }));
    const out = await replyAndCatch(ticketId, 'Your refund is on its way.');
    expect(headerOf(out.raw, 'To')).toBe('omar.home@example.net');
    expect(headerOf(out.raw, 'Cc')).toBeNull();
    expect(out.to).toEqual(['omar.home@example.net']);
  }, 60_000);

  it('a stranger quoting a ticket\'s Message-ID opens a ticket of their own; the requester\'s answer joins it', async () => {
    const first = await send(mail({ from: 'Lina <lina@example.com>', id: '<thr-1@example.com>', subject: 'Order 5521' }));
    const ticketId = first.ticketId!;
    const own = await ticket(ticketId);
    // Our acknowledgement is known to anyone it reaches: a stranger answers it, and the original.
    const ack = sink.received.find((r) => r.to.includes('lina@example.com'))!;
    const ackId = headerOf(ack.raw, 'Message-ID')!;
    const byAck = await send(mail({ from: 'eve@example.org', id: '<thr-2@example.org>', inReplyTo: ackId, subject: 'Re: Order 5521' }));
    const byOriginal = await send(mail({ from: 'eve@example.org', id: '<thr-3@example.org>', inReplyTo: '<thr-1@example.com>', subject: 'Re: Order 5521' }));
    expect(byAck.status).toBe('processed');
    expect(byAck.ticketId).not.toBe(ticketId);
    expect(byOriginal.ticketId).not.toBe(ticketId);
    const after = await ticket(ticketId);
    expect(after.messages).toHaveLength(own.messages.length);
    expect(after.requester.email).toBe('lina@example.com');
    // The requester's own answer to the same acknowledgement is filed on the ticket.
    const answer = await send(mail({ from: 'lina@example.com', id: '<thr-4@example.com>', inReplyTo: ackId, subject: 'Re: Order 5521' }));
    expect(answer.ticketId).toBe(ticketId);
  }, 60_000);

  it('acknowledgements are limited per address they go to: many senders naming one Reply-To reach it only so often', async () => {
    for (let i = 0; i < AUTO_REPLIES_PER_HOUR + 3; i++) {
      const sent = await send(mail({ from: `sender${i}@example.biz`, id: `<flood-${i}@example.biz>`, replyTo: 'victim@example.net', subject: `Question ${i}` }));
      expect(sent.status).toBe('processed');
    }
    expect(sink.received.filter((r) => r.to.includes('victim@example.net'))).toHaveLength(AUTO_REPLIES_PER_HOUR);
  }, 60_000);

  it('our own mail coming back is set aside: no ticket, no reopening, no answer', async () => {
    const first = await send(mail({ from: 'Sara <sara@example.com>', id: '<own-1@example.com>', subject: 'Cannot print' }));
    const ticketId = first.ticketId!;
    const ack = sink.received.find((r) => r.to.includes('sara@example.com'))!;
    expect((await desk.request(admin, 'PATCH', `/api/v1/tickets/${ticketId}`, { status: 'solved' })).status).toBe(200);
    await drainJobs(desk);
    const resolved = sink.received.at(-1)!;
    expect(resolved.to).toEqual(['sara@example.com']);
    const mailCount = sink.received.length;
    const tickets = (await desk.request(admin, 'GET', '/api/v1/tickets?channel=email&limit=100')).body.data.length;

    // The resolution notice comes back as it was sent (a forwarding rule pointing at the desk).
    const back = await send(resolved.raw.toString());
    expect(back).toMatchObject({ status: 'processed', ticketId: null });
    expect(back.error).toMatch(/ignored/);
    // The acknowledgement comes back under the customer's name (a list re-sending it): our Message-ID gives it away.
    const relayed = await send(ack.raw.toString().replace(/^From: .*$/m, 'From: Sara <sara@example.com>'));
    expect(relayed).toMatchObject({ status: 'processed', ticketId: null });
    // Fresh mail written as one of our mailboxes.
    const spoofed = await send(mail({ from: 'Support <support@localhost>', id: '<own-2@example.com>', subject: 'Hello from ourselves' }));
    expect(spoofed).toMatchObject({ status: 'processed', ticketId: null });

    expect((await ticket(ticketId)).status).toBe('solved');
    expect((await desk.request(admin, 'GET', '/api/v1/tickets?channel=email&limit=100')).body.data.length).toBe(tickets);
    expect(sink.received.length).toBe(mailCount);
  }, 60_000);

  it('an out-of-office answer is filed on a solved or closed ticket without reopening it; a person\'s answer reopens it', async () => {
    const first = await send(mail({ from: 'Dana <dana@example.com>', id: '<ooo-1@example.com>', subject: 'VPN drops' }));
    const ticketId = first.ticketId!;
    await desk.request(admin, 'PATCH', `/api/v1/tickets/${ticketId}`, { status: 'solved' });
    await drainJobs(desk);
    const resolvedId = headerOf(sink.received.at(-1)!.raw, 'Message-ID')!;
    const away = ['Auto-Submitted: auto-replied'];
    const ooo = await send(mail({ from: 'dana@example.com', id: '<ooo-2@example.com>', inReplyTo: resolvedId, subject: 'Automatic reply: VPN drops', headers: away, body: 'I am away until Monday.' }));
    expect(ooo.ticketId).toBe(ticketId);
    let t = await ticket(ticketId);
    expect(t.status).toBe('solved');
    expect(t.messages.at(-1).body).toContain('I am away until Monday.');

    await desk.request(admin, 'PATCH', `/api/v1/tickets/${ticketId}`, { status: 'closed' });
    const again = await send(mail({ from: 'dana@example.com', id: '<ooo-3@example.com>', inReplyTo: resolvedId, subject: 'Out of office', headers: ['X-Autoreply: yes'], body: 'Still away.' }));
    expect(again.ticketId).toBe(ticketId);
    expect((await ticket(ticketId)).status).toBe('closed');

    await desk.request(admin, 'PATCH', `/api/v1/tickets/${ticketId}`, { status: 'solved' });
    const person = await send(mail({ from: 'dana@example.com', id: '<ooo-4@example.com>', inReplyTo: resolvedId, subject: 'Re: VPN drops', body: 'It dropped again.' }));
    expect(person.ticketId).toBe(ticketId);
    t = await ticket(ticketId);
    expect(t.status).toBe('open');
  }, 60_000);

  it('ordinary mail from postmaster@ is a customer\'s mail; a delivery failure from there is still a bounce', async () => {
    const person = await send(mail({ from: 'Postmaster <postmaster@example.org>', id: '<pm-1@example.org>', subject: 'Our SPF record blocks your replies', body: 'Please add our relay to your SPF record.' }));
    expect(person.status).toBe('processed');
    expect((await ticket(person.ticketId!)).requester.email).toBe('postmaster@example.org');
    // The older bounce shape (qmail, exim): no delivery-status report, a telling subject.
    const notice = await send(mail({ from: 'MAILER-DAEMON@mx.example.org', id: '<pm-2@mx.example.org>', subject: 'failure notice', body: "Hi. This is the qmail-send program. I'm afraid I wasn't able to deliver your message." }));
    expect(notice).toMatchObject({ status: 'bounce', ticketId: null });
  }, 60_000);

  it('a reply carrying a huge References chain still threads by its newest ids', async () => {
    const first = await send(mail({ from: 'Lina <lina@example.com>', id: '<refs-1@example.com>', subject: 'Long thread' }));
    // A list or a broken client can pile up tens of thousands of ids: more than one statement may carry.
    const chain = Array.from({ length: 70_000 }, (_, i) => `<${i}@l.x>`);
    const refs = ['References: ' + [...chain, '<refs-1@example.com>'].join(' ')];
    const answer = await send(mail({ from: 'Lina <lina@example.com>', id: '<refs-2@example.com>', subject: 'Long thread', headers: refs }));
    expect(answer).toMatchObject({ status: 'processed', ticketId: first.ticketId });
  }, 120_000);

  it('mail for two of our mailboxes at once belongs to the one it was written To, not the older one in Cc', async () => {
    const team = await desk.team('Billing');
    const box = await desk.request(admin, 'POST', '/api/v1/email/mailboxes', { address: 'billing@localhost', name: 'Billing', teamId: team });
    expect(box.status).toBe(201);
    const before = sink.received.length;
    const raw = mail({ from: 'Payer <payer@example.com>', to: 'Billing <billing@localhost>', cc: 'support@localhost', id: '<two-boxes-1@example.com>', subject: 'Charged twice' });
    const first = await send(raw, 'payer@example.com', 'support@localhost,billing@localhost');
    expect((await ticket(first.ticketId!)).team?.id).toBe(team);
    const ack = sink.received.slice(before).find((r) => r.to.includes('payer@example.com'))!;
    expect(headerOf(ack.raw, 'From')).toContain('billing@localhost');
  }, 60_000);
});

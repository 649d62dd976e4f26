import fs from 'node:fs';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDesk, type Account, type TestDesk } from '../../../test/harness.js';
import { ManualClock } from '../../platform/clock.js';
import { drainJobs, headerOf, startSink } from './email-test-kit.js';
import { AUTO_REPLIES_PER_HOUR } from './inbound-process.js';

const dir = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../../../test/fixtures/email');

function mail(opts: { from: string; id: string; subject?: string; body?: string; inReplyTo?: string; cc?: string; headers?: string[] }) {
  return [
    `From: ${opts.from}`,
    'To: support@localhost',
    ...(opts.cc ? [`Cc: ${opts.cc}`] : []),
    `Subject: ${opts.subject ?? 'Help please'}`,
    `Message-ID: ${opts.id}`,
    ...(opts.inReplyTo ? [`In-Reply-To: ${opts.inReplyTo}`, `References: ${opts.inReplyTo}`] : []),
    ...(opts.headers ?? []),
    'Content-Type: text/plain; charset=UTF-8',
    '',
    opts.body ?? 'Something is wrong.',
    '',
  ].join('\r\n');
}

describe('outbound mail: outbox, retries, bounces, loops, follow-ups', () => {
  let desk: TestDesk;
  let sink: Awaited<ReturnType<typeof startSink>>;
  let admin: Account;
  let agent: Account;
  const clock = new ManualClock(new Date('2026-11-24T08:00:00Z'));
  const post = async (raw: string) => {
    const res = await desk.app.inject({ method: 'POST', url: '/api/v1/email/inbound', payload: raw, headers: { ...admin.headers, 'content-type': 'message/rfc822' } });
    expect(res.statusCode).toBe(202);
    await drainJobs(desk);
    const list = await desk.request(admin, 'GET', '/api/v1/email/inbound?limit=200');
    return list.body.data.find((i: { id: string }) => i.id === res.json().id);
  };
  const emailOf = async (ticketId: string) => (await desk.request(admin, 'GET', `/api/v1/email/tickets/${ticketId}`)).body;

  beforeAll(async () => {
    sink = await startSink({ failFirst: 0 });
    desk = await startDesk({ clock, env: { FRONTLINE_SMTP_URL: sink.url } });
    admin = await desk.as('admin');
    agent = await desk.as('agent');
  }, 300_000);
  afterAll(async () => {
    await desk?.close();
    await sink?.close();
  });

  it('a failed send is retried with backoff, then shown as failed on the message, and can be sent again', async () => {
    const inbound = await post(mail({ from: 'Rana <rana@example.com>', id: '<retry-1@example.com>', cc: 'Boss <boss@example.com>' }));
    const ticketId = inbound.ticketId;
    await desk.request(admin, 'PATCH', `/api/v1/tickets/${ticketId}`, { assigneeId: agent.id });
    const before = sink.received.length;
    // The relay is down for this mailbox: point it at a closed port.
    const boxes = await desk.request(admin, 'GET', '/api/v1/email/mailboxes');
    const box = boxes.body.data[0];
    expect((await desk.request(admin, 'PATCH', `/api/v1/email/mailboxes/${box.id}`, { smtpUrl: 'smtp://127.0.0.1:9' })).status).toBe(200);
    await desk.request(agent, 'POST', `/api/v1/tickets/${ticketId}/messages`, { body: 'We are on it.' });
    await drainJobs(desk);
    let view = await emailOf(ticketId);
    let out = view.messages.find((m: { direction: string }) => m.direction === 'out');
    // Waiting for its next try, a minute later, with why it failed.
    expect(out.delivery).toMatchObject({ status: 'pending', attempts: 1, nextAttemptAt: new Date(clock.now().getTime() + 60_000).toISOString() });
    expect(out.delivery.lastError).toMatch(/ECONNREFUSED|connect/i);
    for (let i = 0; i < 8; i++) {
      clock.advance(10 * 3600_000);
      await drainJobs(desk);
    }
    view = await emailOf(ticketId);
    out = view.messages.find((m: { direction: string }) => m.direction === 'out');
    expect(out.delivery).toMatchObject({ status: 'failed', attempts: 8, nextAttemptAt: null });
    expect(out.delivery.lastError).toMatch(/ECONNREFUSED|connect/i);
    const timeline = await desk.request(admin, 'GET', `/api/v1/tickets/${ticketId}/timeline`);
    expect(timeline.body.data.map((e: { type: string }) => e.type)).toContain('email.send_failed');
    expect(sink.received.length).toBe(before);

    // The relay is back; an agent retries from the message.
    await desk.request(admin, 'PATCH', `/api/v1/email/mailboxes/${box.id}`, { smtpUrl: null });
    expect((await desk.request(agent, 'POST', `/api/v1/email/outbound/${out.delivery.id}/retry`)).status).toBe(202);
    await drainJobs(desk);
    view = await emailOf(ticketId);
    out = view.messages.find((m: { direction: string }) => m.direction === 'out');
    expect(out.delivery.status).toBe('sent');
    const sent = sink.received.at(-1)!;
    // The Cc'd colleague stays on the conversation.
    expect(sent.to.sort()).toEqual(['boss@example.com', 'rana@example.com']);
    expect(headerOf(sent.raw, 'In-Reply-To')).toBe('<retry-1@example.com>');

    // A bounce of that reply is recorded against it.
    const bounce = fs.readFileSync(path.join(dir, 'bounce.eml'), 'utf8').replace('{{ORIGINAL_ID}}', out.messageIdHeader);
    const b = await post(bounce);
    expect(b.status).toBe('bounce');
    expect(b.ticketId).toBe(ticketId);
    out = (await emailOf(ticketId)).messages.find((m: { direction: string }) => m.direction === 'out');
    expect(out.delivery.status).toBe('bounced');
    expect(out.delivery.bounceReason).toContain('5.1.1');
    const tickets = await desk.request(admin, 'GET', '/api/v1/tickets?channel=email');
    expect(tickets.body.data.filter((t: { subject: string }) => /Undelivered/.test(t.subject))).toHaveLength(0);
  }, 120_000);

  it("the acknowledgement threads under the customer's mail: In-Reply-To and References name its Message-ID", async () => {
    const before = sink.received.length;
    await post(mail({ from: 'Timur <timur@example.com>', id: '<ack-thread-1@example.com>', subject: 'Scanner offline' }));
    await drainJobs(desk);
    const ack = sink.received.slice(before).find((m) => m.to.includes('timur@example.com'))!;
    expect(headerOf(ack.raw, 'In-Reply-To')).toBe('<ack-thread-1@example.com>');
    expect(headerOf(ack.raw, 'References')).toBe('<ack-thread-1@example.com>');

    // A new request written as a reply to older mail keeps that chain, then the request itself.
    const next = sink.received.length;
    await post(
      mail({ from: 'Timur <timur@example.com>', id: '<ack-thread-3@example.com>', subject: 'Re: Lunch', headers: ['In-Reply-To: <lunch-2@example.org>', 'References: <lunch-1@example.org> <lunch-2@example.org>'] }),
    );
    await drainJobs(desk);
    const second = sink.received.slice(next).find((m) => m.to.includes('timur@example.com'))!;
    expect(headerOf(second.raw, 'In-Reply-To')).toBe('<ack-thread-3@example.com>');
    expect(headerOf(second.raw, 'References')).toBe('<lunch-1@example.org> <lunch-2@example.org> <ack-thread-3@example.com>');
  }, 60_000);

  it('a ticket from mail gets its subject without reply and forward prefixes, in every language and client', async () => {
    const encoded = (s: string) => `=?UTF-8?B?${Buffer.from(s).toString('base64')}?=`;
    const cases: [string, string][] = [
      ['Re: Fwd: Printer jams', 'Printer jams'],
      ['RE: FW: Printer jams', 'Printer jams'],
      ['Fw: re: RE:Printer jams', 'Printer jams'],
      ['AW: WG: Drucker klemmt', 'Drucker klemmt'],
      ['Re[2]: Re(3): Printer jams', 'Printer jams'],
      ['Re : Imprimante bloquée', 'Imprimante bloquée'],
      ['SV: VS: TR: Printer jams', 'Printer jams'],
      ['Ответ: Отв: Принтер не печатает', 'Принтер не печатает'],
      ['ОТВЕТ: Пересл: RE: Принтер не печатает', 'Принтер не печатает'],
      ['رد: رد: الطابعة لا تعمل', 'الطابعة لا تعمل'],
      ['\u200fإعادة توجيه: الطابعة لا تعمل', 'الطابعة لا تعمل'],
      ['\u200fپاسخ: \u200fپاسخ: چاپگر کار نمی‌کند', 'چاپگر کار نمی‌کند'],
      ['Re：Printer jams', 'Printer jams'],
      ['Re: Printer jams [#999999]', 'Printer jams'],
      ['Re: Review: the Rework plan', 'Review: the Rework plan'],
      ['Re:', '(no subject)'],
    ];
    for (const [i, [subject, expected]] of cases.entries()) {
      const inbound = await post(mail({ from: `subject-${i}@example.net`, id: `<subject-${i}@example.net>`, subject: encoded(subject) }));
      const ticket = (await desk.request(admin, 'GET', `/api/v1/tickets/${inbound.ticketId}`)).body;
      expect(ticket.subject, subject).toBe(expected);
    }
  }, 120_000);

  it('acknowledgements are rate-limited per sender, and never sent to auto-submitted mail', async () => {
    const before = sink.received.length;
    for (let i = 0; i < AUTO_REPLIES_PER_HOUR + 2; i++) await post(mail({ from: 'loop@example.org', id: `<loop-${i}@example.org>`, subject: `Issue ${i}` }));
    await drainJobs(desk);
    const toLoop = sink.received.slice(before).filter((m) => m.to.includes('loop@example.org'));
    expect(toLoop).toHaveLength(AUTO_REPLIES_PER_HOUR);
    const auto = await post(mail({ from: 'ooo@example.org', id: '<ooo-1@example.org>', headers: ['Auto-Submitted: auto-replied'] }));
    expect(auto.status).toBe('processed');
    await drainJobs(desk);
    expect(sink.received.filter((m) => m.to.includes('ooo@example.org'))).toHaveLength(0);
  }, 120_000);

  it('the subject token threads a reply from the requester, but not from a stranger; a reply to a closed ticket opens a linked follow-up', async () => {
    const first = await post(mail({ from: 'Nika <nika@example.com>', id: '<tok-1@example.com>', subject: 'Printer jam' }));
    const t = (await desk.request(admin, 'GET', `/api/v1/tickets/${first.ticketId}`)).body;
    const byToken = await post(mail({ from: 'nika@example.com', id: '<tok-2@example.com>', subject: `Re: Printer jam [#${t.number}]` }));
    expect(byToken.ticketId).toBe(t.id);
    const stranger = await post(mail({ from: 'eve@example.net', id: '<tok-3@example.net>', subject: `Re: Printer jam [#${t.number}]` }));
    expect(stranger.ticketId).not.toBe(t.id);

    await desk.request(admin, 'PATCH', `/api/v1/tickets/${t.id}`, { status: 'closed' });
    const late = await post(mail({ from: 'nika@example.com', id: '<tok-4@example.com>', subject: 'Re: Printer jam', inReplyTo: '<tok-1@example.com>' }));
    expect(late.ticketId).not.toBe(t.id);
    const followUp = await desk.request(admin, 'GET', `/api/v1/tickets/${late.ticketId}/timeline`);
    const created = followUp.body.data.find((e: { type: string }) => e.type === 'ticket.created');
    expect(created.data.followUpOf).toEqual({ id: t.id, number: t.number });
    const old = await desk.request(admin, 'GET', `/api/v1/tickets/${t.id}/timeline`);
    expect(old.body.data.map((e: { type: string }) => e.type)).toContain('ticket.follow_up_created');
    expect((await desk.request(admin, 'GET', `/api/v1/tickets/${t.id}`)).body.status).toBe('closed');
  }, 120_000);

  it('notifications speak the customer language: Persian and Russian customers, right-to-left only where it should be', async () => {
    const fa = await post(fs.readFileSync(path.join(dir, 'fa-windows-1256.eml'), 'latin1').replace('<fa-1256@example.ir>', '<fa-2@example.ir>'));
    const ru = await post(fs.readFileSync(path.join(dir, 'ru-koi8-r.eml'), 'latin1').replace('<ru-koi8@example.ru>', '<ru-2@example.ru>'));
    await drainJobs(desk);
    const faAck = sink.received.find((m) => m.to.includes('samad@example.ir'));
    const ruAck = sink.received.find((m) => m.to.includes('irina@example.ru'));
    const faMail = await simpleParser(faAck!.raw);
    const ruMail = await simpleParser(ruAck!.raw);
    const faNumber = (await desk.request(admin, 'GET', `/api/v1/tickets/${fa.ticketId}`)).body.number;
    expect(faMail.subject).toContain('درخواست شما دریافت شد');
    expect(faMail.subject).toContain(`[#${faNumber}]`);
    expect(faMail.html).toContain('dir="rtl"');
    expect(ruMail.subject).toContain('Мы получили ваше обращение');
    expect(ruMail.html).toContain('dir="ltr"');
    expect(ruMail.text).toContain('4 ч');
  }, 60_000);

  it('the promised response time reads right in every count: 1 hour, ساعتين, 24 ساعة', async () => {
    const box = (await desk.request(admin, 'GET', '/api/v1/email/mailboxes')).body.data.find((m: { address: string }) => m.address === 'support@localhost');
    const ackTo = async (hours: number, from: string, body: string) => {
      expect((await desk.request(admin, 'PATCH', `/api/v1/email/mailboxes/${box.id}`, { responseHours: hours })).status).toBe(200);
      await post(mail({ from, id: `<hours-${hours}-${from}>`, subject: `Hours ${hours}`, body }));
      const ack = sink.received.find((m) => m.to.includes(from));
      expect(ack, from).toBeTruthy();
      return (await simpleParser(ack!.raw)).text ?? '';
    };
    try {
      const arabic = 'مرحبا، لدي مشكلة في الفاتورة الشهرية ولا أستطيع الدفع.';
      expect(await ackTo(1, 'one@example.com', 'It breaks.')).toContain('We usually answer within 1 hour.');
      expect(await ackTo(24, 'many@example.com', 'It breaks.')).toContain('within 24 hours.');
      expect(await ackTo(2, 'two@example.sa', arabic)).toContain('نرد عادةً خلال ساعتين.');
      expect(await ackTo(5, 'five@example.sa', arabic)).toContain('خلال 5 ساعات.');
      expect(await ackTo(24, 'day@example.sa', arabic)).toContain('خلال 24 ساعة.');
    } finally {
      await desk.request(admin, 'PATCH', `/api/v1/email/mailboxes/${box.id}`, { responseHours: box.responseHours });
    }
  }, 60_000);

  it('a ticket merely labelled email, with no mail in or out, sends nothing', async () => {
    const created = await desk.request(admin, 'POST', '/api/v1/tickets', { subject: 'Logged by hand', body: 'From a call', channel: 'email', requester: { email: 'hand@example.com' } });
    expect(created.status).toBe(201);
    await desk.request(admin, 'POST', `/api/v1/tickets/${created.body.id}/messages`, { body: 'Noted.' });
    await desk.request(admin, 'PATCH', `/api/v1/tickets/${created.body.id}`, { status: 'solved' });
    const view = await emailOf(created.body.id);
    expect(view.messages).toEqual([]);
    expect(view.notifications).toEqual([]);
  }, 60_000);

  it('mailboxes: admins manage them, IMAP secrets are never shown, bad input names the field', async () => {
    const team = await desk.team('Billing');
    const created = await desk.request(admin, 'POST', '/api/v1/email/mailboxes', {
      address: 'billing@example.com',
      name: 'Billing',
      teamId: team,
      inboundMethod: 'imap',
      imap: { host: '127.0.0.1', port: 993, secure: true, user: 'billing', password: 's3cret-pass' },
    });
    expect(created.status).toBe(201);
    expect(JSON.stringify(created.body)).not.toContain('s3cret-pass');
    expect(created.body.imap.passwordSet).toBe(true);
    const dup = await desk.request(admin, 'POST', '/api/v1/email/mailboxes', { address: 'BILLING@example.com', name: 'Again' });
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe('mailbox_exists');
    const bad = await desk.request(admin, 'POST', '/api/v1/email/mailboxes', { address: 'not-an-address', name: 'X' });
    expect(bad.status).toBe(400);
    const noImap = await desk.request(admin, 'POST', '/api/v1/email/mailboxes', { address: 'x@example.com', name: 'X', inboundMethod: 'imap' });
    expect(noImap.body.error.code).toBe('invalid_imap');
    const badTeam = await desk.request(admin, 'POST', '/api/v1/email/mailboxes', { address: 'y@example.com', name: 'Y', teamId: crypto.randomUUID() });
    expect(badTeam.body.error.code).toBe('invalid_team');
    // A typo is named, not ignored; a body that is not JSON changes nothing.
    const typo = await desk.request(admin, 'PATCH', `/api/v1/email/mailboxes/${created.body.id}`, { responsehours: 9 });
    expect(typo.status).toBe(400);
    expect(typo.body.error.field).toBe('responsehours');
    const text = await desk.app.inject({ method: 'PATCH', url: `/api/v1/email/mailboxes/${created.body.id}`, payload: 'hello', headers: { ...admin.headers, 'content-type': 'text/plain' } });
    expect(text.statusCode).toBe(400);
    expect((await desk.request(agent, 'GET', '/api/v1/email/mailboxes')).status).toBe(403);

    // Mail to the billing address lands in the billing team.
    const billed = await post(mail({ from: 'payer@example.com', id: '<bill-1@example.com>' }).replace('To: support@localhost', 'To: billing@example.com'));
    const ticket = (await desk.request(admin, 'GET', `/api/v1/tickets/${billed.ticketId}`)).body;
    expect(ticket.team?.id).toBe(team);
    // The acknowledgement and the agent's reply go out from the address the customer wrote to.
    expect((await desk.request(admin, 'POST', `/api/v1/tickets/${billed.ticketId}/messages`, { body: 'We are on it.' })).status).toBe(201);
    await drainJobs(desk);
    const sent = sink.received.filter((m) => m.to.includes('payer@example.com'));
    expect(sent.length).toBe(2);
    for (const m of sent) expect((await simpleParser(m.raw)).from?.value[0].address).toBe('billing@example.com');
    expect(sent.some((m) => headerOf(m.raw, 'Subject')?.startsWith('Re:'))).toBe(true);
  }, 60_000);
});

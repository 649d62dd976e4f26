import fs from 'node:fs';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDesk, type Account, type TestDesk } from '../../../test/harness.js';
import { drainJobs, headerOf, startSink } from './email-test-kit.js';

const fixtures = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../../../test/fixtures/email');

type Mail = { from: string; id?: string; to?: string; cc?: string; subject?: string; inReplyTo?: string; references?: string; headers?: string[]; body?: string };

function mail(m: Mail) {
  return [
    ...(m.headers ?? []),
    `From: ${m.from}`,
    `To: ${m.to ?? 'support@localhost'}`,
    ...(m.cc ? [`Cc: ${m.cc}`] : []),
    `Subject: ${m.subject ?? 'Order missing'}`,
    'Date: Tue, 24 Nov 2026 08:00:00 +0000',
    ...(m.id ? [`Message-ID: ${m.id}`] : []),
    ...(m.inReplyTo ? [`In-Reply-To: ${m.inReplyTo}`] : []),
    ...(m.references ? [`References: ${m.references}`] : []),
    'Content-Type: text/plain; charset=UTF-8',
    '',
    m.body ?? 'The parcel never came.',
    '',
  ].join('\r\n');
}

/** Which ticket each message lands on, and what the desk writes back: through the HTTP inbound endpoint and the API. */
describe('email threading and duplicates', () => {
  let desk: TestDesk;
  let sink: Awaited<ReturnType<typeof startSink>>;
  let admin: Account;
  const post = async (raw: string) => {
    const res = await desk.app.inject({ method: 'POST', url: '/api/v1/email/inbound', payload: raw, headers: { ...admin.headers, 'content-type': 'message/rfc822' } });
    expect(res.statusCode).toBe(202);
    await drainJobs(desk);
    const list = await desk.request(admin, 'GET', '/api/v1/email/inbound?limit=200');
    return list.body.data.find((i: { id: string }) => i.id === res.json().id) as { status: string; ticketId: string | null; error: string | null };
  };
  const ticket = async (id: string) => (await desk.request(admin, 'GET', `/api/v1/tickets/${id}`)).body;
  const replyAndCatch = async (ticketId: string, body: string) => {
    expect((await desk.request(admin, 'POST', `/api/v1/tickets/${ticketId}/messages`, { body })).status).toBe(201);
    await drainJobs(desk);
    return sink.received.find((r) => r.raw.toString().includes(body))!;
  };

  beforeAll(async () => {
    sink = await startSink();
    desk = await startDesk({ env: { FRONTLINE_SMTP_URL: sink.url } });
    admin = await desk.as('admin');
  }, 300_000);
  afterAll(async () => {
    await desk?.close();
    await sink?.close();
  });

  it('a reply quoting a Message-ID with spaces inside its brackets threads', async () => {
    const first = await post(mail({ from: 'lena@example.com', id: '<CAseID-1@Mail.Example.com>' }));
    const spaced = await post(mail({ from: 'lena@example.com', id: '<case-2@example.com>', inReplyTo: '< CAseID-1@Mail.Example.com >' }));
    expect(spaced.ticketId).toBe(first.ticketId);
    const spacedRefs = await post(mail({ from: 'lena@example.com', id: '<case-3@example.com>', references: '<unknown@example.org> < CAseID-1@Mail.Example.com >' }));
    expect(spacedRefs.ticketId).toBe(first.ticketId);
  }, 60_000);

  it('a reply quoting Message-IDs without brackets, or one folded inside its brackets, threads', async () => {
    const first = await post(mail({ from: 'vera@example.com', id: '<bare-1@mail.example.com>' }));
    const bare = await post(mail({ from: 'vera@example.com', id: '<bare-2@example.com>', inReplyTo: 'unknown@example.org bare-1@mail.example.com' }));
    expect(bare.ticketId).toBe(first.ticketId);
    const folded = await post(mail({ from: 'vera@example.com', id: '<bare-3@example.com>', references: '<bare-1@mail.\r\n example.com>' }));
    expect(folded.ticketId).toBe(first.ticketId);
  }, 60_000);

  it('a reply quoting a Message-ID in other letter case threads', async () => {
    const first = await post(mail({ from: 'olga@example.com', id: '<CAseID-9@Mail.Example.com>' }));
    const lower = await post(mail({ from: 'olga@example.com', id: '<case-10@example.com>', inReplyTo: '<caseid-9@mail.example.com>' }));
    expect(lower.ticketId).toBe(first.ticketId);
    // The same message again, its id in capitals (a gateway that rewrote it): kept once.
    const again = await post(mail({ from: 'olga@example.com', id: '<CASEID-9@MAIL.EXAMPLE.COM>', headers: ['Received: from gateway.example.com by mx1'] }));
    expect(again.status).toBe('duplicate');
  }, 60_000);

  it('only an older id of the chain known: the reply still threads', async () => {
    const first = await post(mail({ from: 'ivan@example.com', id: '<old-1@example.com>' }));
    const reply = await post(mail({ from: 'ivan@example.com', id: '<old-4@example.com>', inReplyTo: '<old-3@elsewhere.org>', references: '<old-1@example.com> <old-2@elsewhere.org> <old-3@elsewhere.org>' }));
    expect(reply.ticketId).toBe(first.ticketId);
  }, 60_000);

  it("a reply quoting another customer's thread lands on the sender's own ticket named by its token, never the other one", async () => {
    const theirs = await post(mail({ from: 'other@example.com', id: '<foreign-1@example.com>' }));
    const mine = await post(mail({ from: 'sara@example.com', id: '<foreign-2@example.com>' }));
    const number = (await ticket(mine.ticketId!)).number;
    const reply = await post(mail({ from: 'sara@example.com', id: '<foreign-3@example.com>', subject: `Re: Order missing [#${number}]`, inReplyTo: '<foreign-1@example.com>' }));
    expect(reply.ticketId).toBe(mine.ticketId);
    const theirNumber = (await ticket(theirs.ticketId!)).number;
    const stranger = await post(mail({ from: 'sara@example.com', id: '<foreign-4@example.com>', subject: `Re: Order missing [#${theirNumber}]` }));
    expect(stranger.ticketId).not.toBe(theirs.ticketId);
  }, 60_000);

  it("a reply whose nearest known id is another customer's mail still finds the sender's own ticket by an older id", async () => {
    const theirs = await post(mail({ from: 'nadia@example.com', id: '<mixed-1@example.com>' }));
    const mine = await post(mail({ from: 'omar@example.com', id: '<mixed-2@example.com>' }));
    // Omar's mail client answered a forward of Nadia's mail inside his own thread.
    const reply = await post(mail({ from: 'omar@example.com', id: '<mixed-3@example.com>', inReplyTo: '<mixed-1@example.com>', references: '<mixed-2@example.com> <mixed-1@example.com>' }));
    expect(reply.ticketId).toBe(mine.ticketId);
    expect(reply.ticketId).not.toBe(theirs.ticketId);
  }, 60_000);

  it('a message without a Message-ID arriving twice (SMTP and IMAP copies) is one message', async () => {
    const raw = mail({ from: 'noid@example.com', subject: 'No id here', body: 'My account is locked.' });
    const first = await post(`Received: from a.example.com by mx1\r\n${raw}`);
    const second = await post(`Received: from a.example.com by imap-store\r\nDelivered-To: support@localhost\r\n${raw}`);
    expect(first.status).toBe('processed');
    expect(second.status).toBe('duplicate');
    expect(second.ticketId).toBe(first.ticketId);
    expect((await ticket(first.ticketId!)).messageCount).toBe(1);
    // Without a Date as well, two such messages may be two real ones (an alert sent twice): both are kept.
    const undated = mail({ from: 'alerts@example.com', subject: 'Disk full', body: 'Disk full on host 7.' }).replace(/^Date: .*\r\n/m, '');
    const alert1 = await post(`Received: from a.example.com by mx1 at 08:00\r\n${undated}`);
    const alert2 = await post(`Received: from a.example.com by mx1 at 09:00\r\n${undated}`);
    expect([alert1.status, alert2.status]).toEqual(['processed', 'processed']);
    expect(alert2.ticketId).not.toBe(alert1.ticketId);
  }, 60_000);

  it('a bounce arriving twice (SMTP and an IMAP copy) is recorded on the ticket once', async () => {
    const first = await post(mail({ from: 'gone@example.net', id: '<bounce-twice-1@example.net>', subject: 'Address change' }));
    const out = await replyAndCatch(first.ticketId!, 'Which address should we use?');
    const bounce = fs.readFileSync(path.join(fixtures, 'bounce.eml'), 'utf8').replace('{{ORIGINAL_ID}}', headerOf(out.raw, 'Message-ID')!).replace('<bounce-1@mx.example.com>', '<bounce-twice-2@mx.example.com>');
    expect((await post(`Received: from mx.example.com by mx1\r\n${bounce}`)).status).toBe('bounce');
    await post(`Received: from mx.example.com by imap-store\r\n${bounce}`);
    const timeline = await desk.request(admin, 'GET', `/api/v1/tickets/${first.ticketId}/timeline`);
    expect(timeline.body.data.filter((e: { type: string }) => e.type === 'email.bounced')).toHaveLength(1);
  }, 60_000);

  it("an agent's reply carries on the References of a conversation begun outside the desk", async () => {
    // The customer and a colleague wrote twice before copying the desk in.
    const outside = '<outside-1@example.com> <outside-2@example.com>';
    const first = await post(mail({ from: 'ines@example.com', id: '<outside-3@example.com>', inReplyTo: '<outside-2@example.com>', references: outside, subject: 'Re: Contract renewal' }));
    const out = await replyAndCatch(first.ticketId!, 'We will send the renewal today.');
    expect(headerOf(out.raw, 'In-Reply-To')).toBe('<outside-3@example.com>');
    expect(headerOf(out.raw, 'References')?.split(/\s+/)).toEqual(['<outside-1@example.com>', '<outside-2@example.com>', '<outside-3@example.com>']);
  }, 60_000);

  it('after a merge, the reply on the surviving ticket threads under the latest mail and keeps its Cc', async () => {
    const a = await post(mail({ from: 'maya@example.com', id: '<merge-a1@example.com>', subject: 'Refund' }));
    const b = await post(mail({ from: 'maya@example.com', id: '<merge-b1@example.com>', subject: 'Refund again', cc: 'acct@example.com' }));
    await replyAndCatch(b.ticketId!, 'Which order was it?');
    const merged = await desk.request(admin, 'POST', `/api/v1/tickets/${b.ticketId}/merge`, { targetId: a.ticketId });
    expect(merged.status).toBe(200);
    // The surviving ticket's mail view holds both conversations, each reply with its delivery.
    const view = (await desk.request(admin, 'GET', `/api/v1/email/tickets/${a.ticketId}`)).body;
    expect(view.messages.map((m: { messageIdHeader: string }) => m.messageIdHeader)).toEqual(expect.arrayContaining(['<merge-a1@example.com>', '<merge-b1@example.com>']));
    const earlier = view.messages.find((m: { direction: string }) => m.direction === 'out');
    expect(earlier.delivery).toMatchObject({ status: 'sent' });
    expect(view.participants.map((p: { email: string }) => p.email)).toEqual(['acct@example.com']);
    const out = await replyAndCatch(a.ticketId!, 'Your refund is on its way.');
    expect(headerOf(out.raw, 'In-Reply-To')).toBe('<merge-b1@example.com>');
    expect(headerOf(out.raw, 'References')).toContain('<merge-a1@example.com>');
    expect(headerOf(out.raw, 'References')).toContain('<merge-b1@example.com>');
    expect(out.to.sort()).toEqual(['acct@example.com', 'maya@example.com']);
    // The customer answers that reply: it lands on the surviving ticket.
    const answer = await post(mail({ from: 'maya@example.com', id: '<merge-a2@example.com>', inReplyTo: headerOf(out.raw, 'Message-ID')! }));
    expect(answer.ticketId).toBe(a.ticketId);
  }, 60_000);

  it('mail merged into a ticket opened by phone keeps the customer answered by mail', async () => {
    const mailed = await post(mail({ from: 'yusuf@example.com', id: '<merge-phone-1@example.com>', subject: 'Router' }));
    const phoned = await desk.request(admin, 'POST', '/api/v1/tickets', { subject: 'Router (call)', body: 'Called about the router', channel: 'phone', requester: { email: 'yusuf@example.com' } });
    expect(phoned.status).toBe(201);
    expect((await desk.request(admin, 'POST', `/api/v1/tickets/${mailed.ticketId}/merge`, { targetId: phoned.body.id })).status).toBe(200);
    const out = await replyAndCatch(phoned.body.id, 'Please restart the router.');
    expect(out?.to).toEqual(['yusuf@example.com']);
    expect(headerOf(out.raw, 'In-Reply-To')).toBe('<merge-phone-1@example.com>');
    // Solved: told by mail, and the history says so.
    expect((await desk.request(admin, 'PATCH', `/api/v1/tickets/${phoned.body.id}`, { status: 'solved' })).status).toBe(200);
    await drainJobs(desk);
    const timeline = (await desk.request(admin, 'GET', `/api/v1/tickets/${phoned.body.id}/timeline?limit=200`)).body.data;
    expect(timeline.find((e: { type: string }) => e.type === 'customer.notified')?.data).toMatchObject({ channel: 'phone', via: 'email' });
  }, 60_000);

  it('names and subjects in Arabic, Persian and Russian go out as encoded words and read back the same', async () => {
    const box = (await desk.request(admin, 'GET', '/api/v1/email/mailboxes')).body.data.find((m: { address: string }) => m.address === 'support@localhost');
    expect((await desk.request(admin, 'PATCH', `/api/v1/email/mailboxes/${box.id}`, { name: 'پشتیبانی — الدعم الفني — Поддержка' })).status).toBe(200);
    try {
      const subject = 'Заказ не пришёл — سفارش نرسید — الطلب لم يصل بعد، مرة أخرى ومرة أخرى';
      const encoded = (s: string) => `=?UTF-8?B?${Buffer.from(s).toString('base64')}?=`;
      const before = sink.received.length;
      const first = await post(mail({ from: `${encoded('Лена')} <lena.ru@example.com>`, id: '<enc-1@example.com>', subject: encoded(subject) }));
      const number = (await ticket(first.ticketId!)).number;
      const ack = sink.received.slice(before).find((m) => m.to.includes('lena.ru@example.com'))!;
      const out = await replyAndCatch(first.ticketId!, 'We are checking the parcel.');
      for (const m of [ack, out]) {
        const head = m.raw.toString('latin1').split('\r\n\r\n')[0];
        // Headers stay 7-bit: every word outside ASCII travels as an encoded word.
        expect(head).toMatch(/^[\x00-\x7f]*$/);
        const parsed = await simpleParser(m.raw);
        expect(parsed.subject).toContain(subject);
        expect(parsed.subject).toContain(`[#${number}]`);
        expect(parsed.from?.value[0].address).toBe('support@localhost');
      }
      expect((await simpleParser(ack.raw)).from?.value[0].name).toBe('پشتیبانی — الدعم الفني — Поддержка');
      expect((await simpleParser(out.raw)).subject).toBe(`Re: ${subject} [#${number}]`);
    } finally {
      await desk.request(admin, 'PATCH', `/api/v1/email/mailboxes/${box.id}`, { name: box.name });
    }
  }, 60_000);
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDesk, type TestDesk } from '../../../test/harness.js';
import { users } from '../users/users.table.js';
import { drainJobs, headerOf, startSink, swaks } from './email-test-kit.js';

const fixtures = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../../../test/fixtures/email');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'frontline-mail-'));

describe('email over real SMTP: swaks in, the agent reply out to a sink, the answer back', () => {
  let desk: TestDesk;
  let sink: Awaited<ReturnType<typeof startSink>>;
  let port: number;

  beforeAll(async () => {
    sink = await startSink();
    desk = await startDesk({ env: { FRONTLINE_SMTP_PORT: '0', FRONTLINE_SMTP_HOST: '127.0.0.1', FRONTLINE_SMTP_URL: sink.url } });
    port = desk.email.smtpPort!;
  }, 300_000);
  afterAll(async () => {
    await desk?.close();
    await sink?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('threads an Arabic windows-1256 mail into a ticket, sends the reply with threading headers, and files the answer on the same ticket', async () => {
    const transcript = await swaks(port, { from: 'ahmed@example.net', to: 'support@localhost', dataFile: path.join(fixtures, 'ar-windows-1256.eml') });
    expect(transcript).toMatch(/<-\s+250 2\.0\.0 queued as [0-9a-f-]{36}/);
    await drainJobs(desk);

    const admin = await desk.as('admin');
    const list = await desk.request(admin, 'GET', '/api/v1/tickets?channel=email');
    expect(list.body.data).toHaveLength(1);
    const ticketId = list.body.data[0].id as string;
    const number = list.body.data[0].number as number;
    expect(list.body.data[0].subject).toBe('مشكلة في تسجيل الدخول');
    const detail = await desk.request(admin, 'GET', `/api/v1/tickets/${ticketId}`);
    expect(detail.body.requester.email).toBe('ahmed@example.net');
    expect(detail.body.requester.name).toBe('أحمد علي');
    expect(detail.body.messages[0].body).toContain('لا أستطيع تسجيل الدخول إلى حسابي منذ يوم أمس');
    // The quoted history is collapsed out of the body and kept in the full text.
    expect(detail.body.messages[0].body).not.toContain('رسالة سابقة');
    const mail = await desk.request(admin, 'GET', `/api/v1/email/tickets/${ticketId}`);
    expect(mail.body.messages[0].fullText).toContain('> رسالة سابقة');
    expect(mail.body.messages[0].collapsed).toBe(true);

    // The acknowledgement went out in Arabic, right-to-left, threaded under the customer's mail.
    expect(sink.received).toHaveLength(1);
    const ack = await simpleParser(sink.received[0].raw);
    expect(sink.received[0].to).toEqual(['ahmed@example.net']);
    expect(ack.subject).toContain(`[#${number}]`);
    expect(ack.text).toContain(`#${number}`);
    expect(ack.text).toContain('4');
    expect(ack.html).toContain('dir="rtl"');
    expect(ack.inReplyTo).toBe('<ar-1256@example.net>');
    expect(headerOf(sink.received[0].raw, 'Auto-Submitted')).toBe('auto-replied');

    // The agent replies in the app; the reply leaves with the agent's name, signature and thread headers.
    const agent = await desk.as('agent');
    await desk.ctx.db.update(users).set({ name: 'Sara Haddad', signature: 'Sara — Support team' }).where(eq(users.id, agent.id));
    await desk.request(admin, 'PATCH', `/api/v1/tickets/${ticketId}`, { assigneeId: agent.id });
    const posted = await desk.request(agent, 'POST', `/api/v1/tickets/${ticketId}/messages`, { body: 'مرحبا أحمد، أعدنا تعيين كلمة المرور. جرّب الآن من فضلك.' });
    expect(posted.status).toBe(201);
    const queued = await desk.request(admin, 'GET', `/api/v1/email/tickets/${ticketId}`);
    const out = queued.body.messages.find((m: { direction: string }) => m.direction === 'out');
    expect(out.delivery.status).toBe('pending');
    await drainJobs(desk);
    expect(sink.received).toHaveLength(2);
    const raw = sink.received[1].raw;
    const reply = await simpleParser(raw);
    expect(reply.from?.value[0]).toEqual({ address: 'support@localhost', name: 'Sara Haddad' });
    expect(reply.subject).toBe(`Re: مشكلة في تسجيل الدخول [#${number}]`);
    expect(headerOf(raw, 'Message-ID')).toBe(out.messageIdHeader);
    expect(headerOf(raw, 'In-Reply-To')).toBe('<ar-1256@example.net>');
    expect(headerOf(raw, 'References')).toContain('<ar-1256@example.net>');
    expect(headerOf(raw, 'Auto-Submitted')).toBeNull();
    expect(reply.text).toContain('أعدنا تعيين كلمة المرور');
    expect(reply.text).toContain('-- \nSara — Support team');
    const sent = await desk.request(admin, 'GET', `/api/v1/email/tickets/${ticketId}`);
    expect(sent.body.messages.find((m: { direction: string }) => m.direction === 'out').delivery.status).toBe('sent');

    // The agent marks it solved; the customer is told, and answering reopens the same ticket.
    await desk.request(agent, 'PATCH', `/api/v1/tickets/${ticketId}`, { status: 'solved' });
    await drainJobs(desk);
    expect(sink.received).toHaveLength(3);
    const resolved = await simpleParser(sink.received[2].raw);
    expect(resolved.subject).toContain('تم حل طلبك');
    expect(resolved.html).toContain('dir="rtl"');

    // The customer's client answers the agent's reply: In-Reply-To only, no token in the subject.
    const answer = [
      'From: =?UTF-8?B?2KPYrdmF2K8g2LnZhNmK?= <ahmed@example.net>',
      'To: support@localhost',
      'Subject: =?UTF-8?B?2LTZg9ix2Kcg2YTZgw==?=',
      `In-Reply-To: ${out.messageIdHeader}`,
      `References: <ar-1256@example.net> ${out.messageIdHeader}`,
      'Message-ID: <ar-answer@example.net>',
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=UTF-8',
      'Content-Transfer-Encoding: 8bit',
      '',
      'ما زالت المشكلة قائمة للأسف.',
      '',
    ].join('\r\n');
    const file = path.join(tmp, 'answer.eml');
    fs.writeFileSync(file, answer);
    expect(await swaks(port, { from: 'ahmed@example.net', to: 'support@localhost', dataFile: file })).toMatch(/<-\s+250 2\.0\.0 queued/);
    await drainJobs(desk);
    const after = await desk.request(admin, 'GET', `/api/v1/tickets/${ticketId}`);
    expect(after.body.status).toBe('open');
    expect(after.body.messages.map((m: { body: string }) => m.body).at(-1)).toContain('ما زالت المشكلة قائمة');
    const all = await desk.request(admin, 'GET', '/api/v1/tickets?channel=email');
    expect(all.body.data).toHaveLength(1);
  }, 120_000);

  it('refuses mail for an address that is not a mailbox here', async () => {
    await expect(swaks(port, { from: 'x@example.net', to: 'nobody@elsewhere.test', dataFile: path.join(fixtures, 'html-only.eml') })).rejects.toThrow(/550/);
  }, 60_000);
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDesk, type Account, type TestDesk } from '../../../test/harness.js';
import { drainJobs, swaks } from './email-test-kit.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'frontline-reused-'));

type Mail = { from: string; id: string; subject?: string; inReplyTo?: string; headers?: string[]; encoding?: 'quoted-printable'; body: string };

function mail(m: Mail) {
  const body = m.encoding ? m.body.replace(/=/g, '=3D').replace(/é/g, '=C3=A9') : m.body;
  return [
    ...(m.headers ?? []),
    `From: Lena <${m.from}>`,
    'To: support@localhost',
    `Subject: ${m.subject ?? 'Nightly report'}`,
    'Date: Tue, 24 Nov 2026 08:00:00 +0000',
    `Message-ID: ${m.id}`,
    ...(m.inReplyTo ? [`In-Reply-To: ${m.inReplyTo}`] : []),
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=UTF-8',
    `Content-Transfer-Encoding: ${m.encoding ?? '8bit'}`,
    '',
    body,
    '',
  ].join('\r\n');
}

/**
 * A mailer that gives different mails one Message-ID (a broken client, a script with a fixed id):
 * each mail is kept; only a real copy (same sender, subject, words and files) is a duplicate.
 * Through the SMTP server and POST /email/inbound, then the ticket API.
 */
describe('mail under a reused Message-ID', () => {
  let desk: TestDesk;
  let admin: Account;
  let port: number;
  const inbound = async (id: string) => {
    const list = await desk.request(admin, 'GET', '/api/v1/email/inbound?limit=200');
    return list.body.data.find((i: { id: string }) => i.id === id) as { status: string; ticketId: string | null; messageId: string | null; error: string | null };
  };
  const post = async (raw: string) => {
    const res = await desk.app.inject({ method: 'POST', url: '/api/v1/email/inbound', payload: Buffer.from(raw), headers: { ...admin.headers, 'content-type': 'message/rfc822' } });
    expect(res.statusCode).toBe(202);
    await drainJobs(desk);
    return inbound(res.json().id);
  };
  const bySmtp = async (raw: string, from: string) => {
    const file = path.join(tmp, `${Math.random().toString(36).slice(2)}.eml`);
    fs.writeFileSync(file, raw);
    const transcript = await swaks(port, { from, to: 'support@localhost', dataFile: file });
    const id = /queued as ([0-9a-f-]{36})/.exec(transcript)![1];
    await drainJobs(desk);
    return inbound(id);
  };
  const ticket = async (id: string) => (await desk.request(admin, 'GET', `/api/v1/tickets/${id}`)).body;

  beforeAll(async () => {
    desk = await startDesk({ env: { FRONTLINE_SMTP_PORT: '0', FRONTLINE_SMTP_HOST: '127.0.0.1' } });
    port = desk.email.smtpPort!;
    admin = await desk.as('admin');
  }, 300_000);
  afterAll(async () => {
    await desk?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('two different mails under one Message-ID both become messages', async () => {
    const first = await post(mail({ from: 'lena@example.org', id: '<fixed-id@script.example.org>', body: 'Backup of host 7 failed.' }));
    // The same script the next night: the same id and subject, other words, in another letter case.
    const second = await bySmtp(mail({ from: 'lena@example.org', id: '<FIXED-ID@script.example.org>', body: 'Disk full on host 3.' }), 'lena@example.org');
    // And a third with the same words as the first but a different subject.
    const third = await post(mail({ from: 'lena@example.org', id: '<fixed-id@script.example.org>', subject: 'Weekly report', body: 'Backup of host 7 failed.' }));
    for (const m of [first, second, third]) expect(m).toMatchObject({ status: 'processed', ticketId: expect.any(String), messageId: expect.any(String), error: null });
    const bodies = await Promise.all([first, second, third].map(async (m) => (await ticket(m.ticketId!)).messages.map((x: { body: string }) => x.body)));
    expect(bodies.flat()).toEqual(expect.arrayContaining(['Backup of host 7 failed.', 'Disk full on host 3.']));
    expect(new Set([first.messageId, second.messageId, third.messageId]).size).toBe(3);
    // Each stays findable in the ticket's mail view under the id it came with.
    const view = (await desk.request(admin, 'GET', `/api/v1/email/tickets/${second.ticketId}`)).body;
    expect(view.messages.map((m: { messageIdHeader: string }) => m.messageIdHeader)).toContain('<FIXED-ID@script.example.org>');
    // Not on the list of mail that failed, and none of them is a duplicate.
    const failed = (await desk.request(admin, 'GET', '/api/v1/email/inbound?status=failed&limit=200')).body.data;
    expect(failed.filter((i: { from: string }) => i.from === 'lena@example.org')).toEqual([]);
  }, 60_000);

  it('the same mail twice, by SMTP and by HTTP with other relay headers and encoding, is one message', async () => {
    const text = 'Mon écran reste noir = depuis hier.\r\nMerci';
    const first = await bySmtp(
      mail({ from: 'remy@example.fr', id: '<copy-1@example.fr>', subject: 'Écran', body: text, headers: ['Received: from mx1.example.fr by mx.example.org; Tue, 24 Nov 2026 08:00:01 +0000'] }),
      'remy@example.fr',
    );
    const copy = await post(
      mail({
        from: 'remy@example.fr',
        id: '<copy-1@example.fr>',
        subject: 'Écran',
        // A relay re-encoded the body and added its own headers; the words are the same.
        encoding: 'quoted-printable',
        body: text.replace('\r\n', '  \r\n'),
        headers: [
          'Received: from imap-store.example.org by desk; Tue, 24 Nov 2026 08:05:00 +0000',
          'DKIM-Signature: v=1; a=rsa-sha256; d=example.fr; s=sel; b=abc',
          'X-Spam-Score: 0.1',
          'Delivered-To: support@localhost',
        ],
      }),
    );
    expect(first.status).toBe('processed');
    expect(copy).toMatchObject({ status: 'duplicate', ticketId: first.ticketId, messageId: first.messageId });
    expect((await ticket(first.ticketId!)).messageCount).toBe(1);
  }, 60_000);

  it('the same mail with a text file sent as plain text (an invitation) is one message, whatever line endings its path gave it', async () => {
    const raw = [
      'From: Nadia <nadia@example.org>',
      'To: support@localhost',
      'Subject: Site visit',
      'Date: Tue, 24 Nov 2026 08:00:00 +0000',
      'Message-ID: <invite-7@example.org>',
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="part"',
      '',
      '--part',
      'Content-Type: text/plain; charset=UTF-8',
      '',
      'Can your technician come on Thursday?',
      '--part',
      'Content-Type: text/calendar; charset=UTF-8; method=REQUEST; name="invite.ics"',
      'Content-Disposition: attachment; filename="invite.ics"',
      'Content-Transfer-Encoding: 7bit',
      '',
      'BEGIN:VCALENDAR',
      'BEGIN:VEVENT',
      'SUMMARY:Site visit',
      'DTSTART:20261126T090000Z',
      'END:VEVENT',
      'END:VCALENDAR',
      '--part--',
      '',
    ].join('\r\n');
    const first = await bySmtp(raw, 'nadia@example.org');
    // The same mail handed over by a local delivery pipe, which writes Unix line endings.
    const copy = await post(`Received: from mx.example.org by desk\n${raw.replace(/\r\n/g, '\n')}`);
    expect(first.status).toBe('processed');
    expect(copy).toMatchObject({ status: 'duplicate', ticketId: first.ticketId, messageId: first.messageId });
    expect((await ticket(first.ticketId!)).messageCount).toBe(1);
  }, 60_000);

  it('mail stored before contents were compared is still told apart from its copies', async () => {
    const raw = mail({ from: 'ada@example.org', id: '<before-upgrade@example.org>', body: 'My login fails.' });
    const first = await post(raw);
    // As a message received before content_hash existed (migration 0024) holds it.
    await desk.ctx.db.execute(sql`update email_messages set content_hash = null where header_message_id = '<before-upgrade@example.org>'`);
    const copy = await post(`Received: from imap-store.example.org by desk\r\n${raw}`);
    expect(copy).toMatchObject({ status: 'duplicate', ticketId: first.ticketId });
    const other = await post(mail({ from: 'ada@example.org', id: '<before-upgrade@example.org>', body: 'Now my password reset fails too.' }));
    expect(other).toMatchObject({ status: 'processed', error: null });
    expect(other.messageId).not.toBe(first.messageId);
  }, 60_000);

  it("a reply quoting a reused id threads onto the newest mail's ticket the sender may write to", async () => {
    const older = await post(mail({ from: 'omar@example.org', id: '<same@phone.example.org>', subject: 'Printer', body: 'The printer jams.' }));
    const newer = await post(mail({ from: 'omar@example.org', id: '<same@phone.example.org>', subject: 'Invoice', body: 'The invoice is wrong.' }));
    expect(newer.ticketId).not.toBe(older.ticketId);
    // Someone else's mail under the same id, newer still: a stranger's ticket is never the answer.
    const stranger = await post(mail({ from: 'eve@example.net', id: '<same@phone.example.org>', subject: 'Hello', body: 'Hi there.' }));
    expect(stranger.status).toBe('processed');
    const reply = await post(mail({ from: 'omar@example.org', id: '<answer-1@phone.example.org>', subject: 'Re: Invoice', inReplyTo: '<same@phone.example.org>', body: 'Any news?' }));
    expect(reply.ticketId).toBe(newer.ticketId);
    expect((await ticket(newer.ticketId!)).messageCount).toBe(2);
  }, 60_000);
});

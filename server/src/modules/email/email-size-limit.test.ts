import net from 'node:net';
import { Readable } from 'node:stream';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDesk, type Account, type TestDesk } from '../../../test/harness.js';
import { startDovecot } from './dovecot-kit.js';
import { mailboxes } from './email.table.js';
import { drainJobs } from './email-test-kit.js';
import { fetchMailboxOnce } from './imap-fetcher.js';
import { largeMessage } from './large-message.js';

const MB = 1024 * 1024;

/** A plain SMTP conversation over a socket: send a line (or bytes), read the server's whole answer. */
async function smtpSession(port: number) {
  const socket = net.connect(port, '127.0.0.1');
  let buffer = '';
  let ended: Error | null = null;
  let wake = () => {};
  socket.on('data', (d) => {
    buffer += d.toString('latin1');
    wake();
  });
  socket.on('error', (err) => {
    ended = err;
    wake();
  });
  socket.on('close', () => {
    ended ??= new Error('connection closed');
    wake();
  });
  // An answer is complete at a line "NNN text" (a space after the code, not a dash).
  const answer = async () => {
    for (;;) {
      const m = /(^|\r\n)(\d{3}) [^\r\n]*\r\n/.exec(buffer);
      if (m) {
        const end = m.index + m[0].length;
        const text = buffer.slice(0, end);
        buffer = buffer.slice(end);
        return text;
      }
      if (ended) throw new Error(`${(ended as Error).message}; had: ${buffer}`);
      await new Promise<void>((resolve) => (wake = resolve));
    }
  };
  const say = async (line: string | Buffer) => {
    socket.write(line);
    return answer();
  };
  return { answer, say, close: () => socket.end() };
}

describe('the message size limit (FRONTLINE_MAX_MESSAGE_MB=1) on SMTP, IMAP and HTTP', () => {
  let desk: TestDesk;
  let admin: Account;
  let dovecot: Awaited<ReturnType<typeof startDovecot>>;

  beforeAll(async () => {
    dovecot = await startDovecot();
    desk = await startDesk({ env: { FRONTLINE_MAX_MESSAGE_MB: '1', FRONTLINE_SMTP_PORT: '0', FRONTLINE_SMTP_HOST: '127.0.0.1' } });
    admin = await desk.as('admin');
  }, 300_000);
  afterAll(async () => {
    await desk?.close();
    await dovecot?.stop();
  });

  const inbound = async (status?: string) => (await desk.request(admin, 'GET', `/api/v1/email/inbound${status ? `?status=${status}` : ''}`)).body.data as Record<string, any>[];

  it('SMTP advertises SIZE, refuses a declared or sent message over it with 552, and takes the next one on the same connection', async () => {
    const smtp = await smtpSession(desk.email.smtpPort!);
    try {
      expect(await smtp.answer()).toMatch(/^220 /);
      expect(await smtp.say('EHLO client.example.net\r\n')).toMatch(/^250[- ]SIZE 1048576\r$/m);
      // Declared too big: refused before a byte of it is sent.
      expect(await smtp.say(`MAIL FROM:<big@example.net> SIZE=${2 * MB}\r\n`)).toMatch(/^552 /);

      // Not declared, then sent: read to the end, kept nowhere, refused.
      expect(await smtp.say('MAIL FROM:<big@example.net>\r\n')).toMatch(/^250 /);
      expect(await smtp.say('RCPT TO:<support@localhost>\r\n')).toMatch(/^250 /);
      expect(await smtp.say('DATA\r\n')).toMatch(/^354 /);
      const big = largeMessage(1.5 * MB, '<too-big-smtp@example.net>');
      const refused = await smtp.say(Buffer.concat([big, Buffer.from('.\r\n')]));
      expect(refused).toMatch(/^552 .*message too big: the limit is 1048576 bytes \(1 MB\)/);

      expect(await smtp.say('MAIL FROM:<small@example.net>\r\n')).toMatch(/^250 /);
      expect(await smtp.say('RCPT TO:<support@localhost>\r\n')).toMatch(/^250 /);
      expect(await smtp.say('DATA\r\n')).toMatch(/^354 /);
      const small = largeMessage(0.5 * MB, '<fits-smtp@example.net>', 'small@example.net');
      expect(await smtp.say(Buffer.concat([small, Buffer.from('.\r\n')]))).toMatch(/^250 2\.0\.0 queued as [0-9a-f-]{36}/);
      await smtp.say('QUIT\r\n');
    } finally {
      smtp.close();
    }
    const rows = await inbound();
    expect(rows).toHaveLength(1);
    expect(rows[0].source).toBe('smtp');
    expect(rows[0].size).toBeLessThan(MB);
  });

  it('HTTP answers 413 message_too_large past the limit, whether the length is announced or not; below it, 202', async () => {
    const headers = { ...admin.headers, 'content-type': 'message/rfc822' };
    const before = (await inbound()).length;
    const big = largeMessage(1.5 * MB, '<too-big-http@example.net>');
    const announced = await desk.app.inject({ method: 'POST', url: '/api/v1/email/inbound', payload: big, headers });
    expect(announced.statusCode).toBe(413);
    expect(announced.json().error).toMatchObject({ code: 'message_too_large', field: 'body', limitBytes: MB });
    expect(announced.json().error.message).toContain('1 MB (FRONTLINE_MAX_MESSAGE_MB)');
    // Streamed without a length: stopped once it passes the limit.
    const streamed = await desk.app.inject({ method: 'POST', url: '/api/v1/email/inbound', payload: Readable.from([big.subarray(0, MB), big.subarray(MB)]), headers });
    expect(streamed.statusCode).toBe(413);
    expect(streamed.json().error.code).toBe('message_too_large');
    expect(await inbound()).toHaveLength(before);

    const fits = await desk.app.inject({ method: 'POST', url: '/api/v1/email/inbound', payload: largeMessage(0.9 * MB, '<fits-http@example.net>'), headers });
    expect(fits.statusCode).toBe(202);
    expect(await inbound()).toHaveLength(before + 1);
  });

  it('IMAP leaves a message over the limit on the server undownloaded, flags it, and lists its headers as a failed entry that is not retried while over the limit', async () => {
    const created = await desk.request(admin, 'POST', '/api/v1/email/mailboxes', {
      address: 'imap-size@example.com',
      name: 'IMAP size',
      inboundMethod: 'imap',
      active: false,
      imap: dovecot.imap(),
    });
    expect(created.status).toBe(201);
    const [mailbox] = await desk.ctx.db.select().from(mailboxes).where(eq(mailboxes.id, created.body.id));
    const big = largeMessage(3 * MB, '<too-big-imap@example.net>', 'huge@example.net');
    dovecot.deliver(big);
    dovecot.deliver(['From: Small <small-imap@example.net>', 'To: imap-size@example.com', 'Subject: A small one', 'Message-ID: <small-imap@example.net>', '', 'Hello.', ''].join('\r\n'));

    expect(await fetchMailboxOnce(desk.ctx, mailbox)).toBe(1);
    // Both are taken as far as the server is concerned; only the big one asks for a person.
    expect(dovecot.seenCount()).toBe(2);
    expect(dovecot.flaggedCount()).toBe(1);
    // The 3 MB message never crossed the wire: the whole session sent well under 1 MB.
    expect(dovecot.sentBytes()).toBeLessThan(MB / 4);

    const failed = (await inbound('failed')).filter((r) => r.source === 'imap');
    expect(failed).toHaveLength(1);
    const entry = failed[0];
    expect(entry).toMatchObject({ headersOnly: true, subject: 'Large log bundle', from: 'huge@example.net', messageIdHeader: '<too-big-imap@example.net>', ticketId: null });
    expect(entry.size).toBeGreaterThan(3 * MB);
    expect(entry.error).toContain('Message too large');
    expect(entry.error).toContain(`(${entry.size} bytes)`);
    expect(entry.error).toContain('limit of 1 MB (FRONTLINE_MAX_MESSAGE_MB)');

    const raw = await desk.app.inject({ method: 'GET', url: `/api/v1/email/inbound/${entry.id}/raw`, headers: admin.headers });
    expect(raw.statusCode).toBe(200);
    expect(raw.rawPayload.length).toBeLessThanOrEqual(64 * 1024);
    expect(raw.body).toContain('Message-ID: <too-big-imap@example.net>');
    expect(raw.body).not.toContain('The full log bundle is attached.');

    const retried = await desk.request(admin, 'POST', `/api/v1/email/inbound/${entry.id}/retry`);
    expect(retried.status).toBe(409);
    expect(retried.body.error.code).toBe('inbound_too_large');
    expect(retried.body.error.message).toContain('current limit of 1 MB (FRONTLINE_MAX_MESSAGE_MB)');
    expect((await inbound('failed')).find((r) => r.id === entry.id)).toMatchObject({ status: 'failed', retries: 0 });

    // Not fetched again, not listed twice.
    expect(await fetchMailboxOnce(desk.ctx, mailbox)).toBe(0);
    expect((await inbound('failed')).filter((r) => r.source === 'imap')).toHaveLength(1);

    await drainJobs(desk);
    const small = (await inbound()).find((r) => r.messageIdHeader === '<small-imap@example.net>');
    expect(small).toMatchObject({ status: 'processed', headersOnly: false });
    expect((await inbound('failed')).find((r) => r.id === entry.id)).toMatchObject({ status: 'failed' });
  }, 120_000);
});

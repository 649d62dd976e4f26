import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDesk, type Account, type TestDesk } from '../../../test/harness.js';
import { drainJobs } from './email-test-kit.js';
import { largeMessage } from './large-message.js';

const dir = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../../../test/fixtures/email');
const expectations = JSON.parse(fs.readFileSync(path.join(dir, 'expectations.json'), 'utf8')) as Record<string, Record<string, unknown>>;

describe('the fixture corpus through the HTTP raw-MIME endpoint', () => {
  let desk: TestDesk;
  let admin: Account;
  const post = (raw: Buffer | string, query = '') =>
    desk.app.inject({ method: 'POST', url: `/api/v1/email/inbound${query}`, payload: raw, headers: { ...admin.headers, 'content-type': 'message/rfc822' } });

  beforeAll(async () => {
    desk = await startDesk();
    admin = await desk.as('admin');
  }, 300_000);
  afterAll(() => desk?.close());

  async function ticketOf(inboundId: string) {
    const list = await desk.request(admin, 'GET', '/api/v1/email/inbound?limit=200');
    const row = list.body.data.find((i: { id: string }) => i.id === inboundId);
    expect(row, `inbound ${inboundId}`).toBeTruthy();
    return { inbound: row, ticket: row.ticketId ? (await desk.request(admin, 'GET', `/api/v1/tickets/${row.ticketId}`)).body : null };
  }

  for (const [file, want] of Object.entries(expectations)) {
    if (want.bounce) continue;
    it(`${file}: decoded, sanitised and filed`, async () => {
      const res = await post(fs.readFileSync(path.join(dir, file)));
      expect(res.statusCode).toBe(202);
      await drainJobs(desk);
      const { inbound, ticket } = await ticketOf(res.json().id);
      expect(inbound.status).toBe('processed');
      const first = ticket.messages[0];
      if (want.subject) expect(ticket.subject).toBe(want.subject);
      if (want.contains) expect(first.body).toContain(want.contains);
      if (want.from) expect(ticket.requester.email).toBe(want.from);
      if (want.fromName) expect(ticket.requester.name).toBe(want.fromName);
      const mail = (await desk.request(admin, 'GET', `/api/v1/email/tickets/${ticket.id}`)).body;
      const html: string = mail.messages[0].html ?? '';
      if (want.htmlContains) expect(html).toContain(want.htmlContains);
      if (want.remoteImages !== undefined) expect(mail.messages[0].remoteImages).toBe(want.remoteImages);
      if (want.cc) expect(mail.participants.map((p: { email: string }) => p.email).sort()).toEqual([...(want.cc as string[])].sort());
      if (want.attachments) expect(first.attachments.map((a: { filename: string }) => a.filename).sort()).toEqual([...(want.attachments as string[])].sort());
      if (want.inlineImage) {
        const img = first.attachments[0];
        expect(html).toContain(`src="/api/v1/attachments/${img.id}"`);
        const bytes = await desk.app.inject({ method: 'GET', url: img.url, headers: admin.headers });
        expect(bytes.statusCode).toBe(200);
        expect(bytes.rawPayload.subarray(1, 4).toString()).toBe('PNG');
      }
      if (want.language) {
        const customer = await desk.request(admin, 'GET', `/api/v1/customers/${ticket.requester.id}`);
        expect(customer.body.language).toBe(want.language);
      }
      // Only people get an acknowledgement; auto-replies and list mail get silence.
      const acks = mail.notifications.filter((n: { kind: string }) => n.kind === 'acknowledgement');
      expect(acks).toHaveLength(want.automated ? 0 : 1);
    }, 60_000);
  }

  it('xss.eml: no script, handler, frame, form, style or javascript: URL reaches the agent', async () => {
    const res = await post(fs.readFileSync(path.join(dir, 'xss.eml')).toString().replace('<xss@example.com>', '<xss-2@example.com>'));
    await drainJobs(desk);
    const { ticket } = await ticketOf(res.json().id);
    const html: string = (await desk.request(admin, 'GET', `/api/v1/email/tickets/${ticket.id}`)).body.messages[0].html;
    for (const bad of ['<script', 'onclick', 'onerror', 'onload', '<iframe', '<form', '<input', '<style', 'javascript:', 'style=', '<svg', ' src="https://evil', 'src="x"']) {
      expect(html.toLowerCase()).not.toContain(bad.toLowerCase());
    }
    expect(html).toContain('data-remote-src="https://evil.example.com/track.png"');
    expect(html).toContain('rel="noopener noreferrer nofollow"');
  }, 60_000);

  it('a sender cannot plant a remote address for later, nor a link into the desk', async () => {
    const html = [
      '<p data-remote-src="https://tracker.example/p1.png">Hello</p>',
      '<img src="data:image/png;base64,iVBORw0KGgo=" data-remote-src="https://tracker.example/p2.png">',
      '<a href="/api/v1/tickets?status=open">your tickets</a> <a href="https://help.example.com/faq">FAQ</a>',
    ].join('');
    const res = await post(`From: planter@example.com\r\nTo: support@frontline.local\r\nSubject: Plant\r\nMIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n\r\n${html}\r\n`);
    await drainJobs(desk);
    const { ticket } = await ticketOf(res.json().id);
    const mail = (await desk.request(admin, 'GET', `/api/v1/email/tickets/${ticket.id}`)).body.messages[0];
    expect(mail.html).not.toContain('tracker.example');
    expect(mail.html).not.toContain('href="/api');
    expect(mail.html).toContain('href="https://help.example.com/faq"');
    expect(mail.remoteImages).toBe(0);
  }, 60_000);

  it('the same message twice (same bytes, or same Message-ID) is applied once', async () => {
    const raw = fs.readFileSync(path.join(dir, 'ru-koi8-r.eml')).toString('latin1').replace('<ru-koi8@example.ru>', '<ru-koi8-dup@example.ru>');
    const files = () => fs.readdirSync(desk.ctx.config.dataDir, { recursive: true }).filter((f) => fs.statSync(path.join(desk.ctx.config.dataDir, String(f))).isFile()).length;
    const a = await post(Buffer.from(raw, 'latin1'));
    const stored = files();
    const b = await post(Buffer.from(raw, 'latin1'));
    expect(b.json()).toEqual({ id: a.json().id, duplicate: true });
    // The resend's bytes were written, then removed when its first copy was found.
    expect(files()).toBe(stored);
    const c = await post(Buffer.from(raw.replace('Date: Tue', 'X-Relay: second-path\r\nDate: Tue'), 'latin1'));
    expect(c.json().duplicate).toBe(false);
    await drainJobs(desk);
    const first = await ticketOf(a.json().id);
    const third = await ticketOf(c.json().id);
    expect([first.inbound.status, third.inbound.status].sort()).toEqual(['duplicate', 'processed']);
    expect(third.inbound.ticketId).toBe(first.inbound.ticketId);
    expect(first.ticket.messageCount).toBe(1);
  }, 60_000);

  it('a message that cannot be processed waits in the failed list and can be retried', async () => {
    const res = await post('Subject: no sender at all\r\nMessage-ID: <nosender@example.com>\r\n\r\nhello\r\n');
    expect(res.statusCode).toBe(202);
    await drainJobs(desk);
    const failed = await desk.request(admin, 'GET', '/api/v1/email/inbound?status=failed');
    const row = failed.body.data.find((i: { id: string }) => i.id === res.json().id);
    expect(row.error).toMatch(/no sender/);
    expect(row.ticketId).toBeNull();
    const retried = await desk.request(admin, 'POST', `/api/v1/email/inbound/${row.id}/retry`);
    expect(retried.status).toBe(202);
    await drainJobs(desk);
    const again = await desk.request(admin, 'GET', '/api/v1/email/inbound?status=failed');
    expect(again.body.data.find((i: { id: string }) => i.id === row.id).retries).toBe(1);
    const processed = (await desk.request(admin, 'GET', '/api/v1/email/inbound?status=processed')).body.data[0];
    const notFailed = await desk.request(admin, 'POST', `/api/v1/email/inbound/${processed.id}/retry`);
    expect(notFailed.status).toBe(409);
    expect(notFailed.body.error.code).toBe('inbound_not_failed');
    expect((await desk.request(admin, 'POST', '/api/v1/email/inbound/00000000-0000-4000-8000-000000000000/retry')).status).toBe(404);
    const raw = await desk.app.inject({ method: 'GET', url: `/api/v1/email/inbound/${row.id}/raw`, headers: admin.headers });
    expect(raw.body).toContain('no sender at all');
    expect(raw.headers).toMatchObject({ 'content-disposition': `attachment; filename="message-${row.id}.eml"`, 'x-content-type-options': 'nosniff' });
  }, 60_000);

  it('NUL bytes in headers and parts do not leave a message stuck: it becomes a ticket like any other', async () => {
    const raw = [
      'From: Nul Sender <nul@example.com>',
      'To: support@frontline.local',
      'Subject: Null bytes \0inside',
      'Message-ID: <nul\0id@example.com>',
      'In-Reply-To: <\0>',
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="b"',
      '',
      '--b',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'The printer prints \0 nothing.',
      '--b',
      'Content-Type: \0/\0',
      'Content-Disposition: attachment; filename="log\0.txt"',
      '',
      'log line',
      '--b--',
      '',
    ].join('\r\n');
    const res = await post(Buffer.from(raw, 'latin1'));
    expect(res.statusCode).toBe(202);
    await drainJobs(desk);
    const { inbound, ticket } = await ticketOf(res.json().id);
    expect(inbound).toMatchObject({ status: 'processed', error: null });
    expect(ticket.subject).toBe('Null bytes inside');
    expect(ticket.messages[0].body).toContain('The printer prints');
    expect(ticket.messages[0].attachments[0]).toMatchObject({ filename: 'log.txt' });
  }, 60_000);

  it('hostile headers: a Content-ID cannot reopen a tag, address lists are not one address, odd IDs and names are tamed', async () => {
    const raw = [
      'From: Sender <hostile@example.com>',
      'To: support@frontline.local',
      'Reply-To: <victim1@other.example;victim2@other.example>',
      'Cc: <cc1@x.example;cc2@y.example>',
      'Subject: Inline trick',
      `Message-ID: <${'a'.repeat(3000)}@cust.example>`,
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="m"',
      '',
      '--m',
      'Content-Type: multipart/related; boundary="r"',
      '',
      '--r',
      'Content-Type: text/html; charset=utf-8',
      '',
      '<p>hi <img src="cid:Z">" onerror=alert(document.domain) x=<b>bold</b></p>',
      '--r',
      'Content-Type: image/png',
      'Content-ID: <Z" />>',
      'Content-Transfer-Encoding: base64',
      '',
      'iVBORw0KGgo=',
      '--r--',
      '--m',
      'Content-Type: text/plain',
      `Content-Disposition: attachment; filename*=UTF-8''${'a'.repeat(254)}%F0%9F%98%80.txt`,
      '',
      'attached',
      '--m--',
      '',
    ].join('\r\n');
    const res = await post(raw);
    expect(res.statusCode).toBe(202);
    await drainJobs(desk);
    const { inbound, ticket } = await ticketOf(res.json().id);
    expect(inbound.status).toBe('processed');
    const mail = (await desk.request(admin, 'GET', `/api/v1/email/tickets/${ticket.id}`)).body;
    const html: string = mail.messages[0].html;
    expect(html).not.toMatch(/<img[^>]*onerror/);
    expect(html).not.toContain('/api/v1/attachments/');
    expect(mail.messages[0].messageIdHeader).toMatch(/^<inbound-.*@frontline\.invalid>$/);
    expect(mail.participants.map((p: { email: string }) => p.email).filter((e: string) => /[;,]|victim|cc\d@/.test(e))).toEqual([]);
    expect(mail.notifications.map((n: { to: string }) => n.to)).toEqual(['hostile@example.com']);
    const names = ticket.messages[0].attachments.map((a: { filename: string }) => a.filename);
    expect(names.some((n: string) => n.length <= 255 && n.startsWith('aaaa'))).toBe(true);
  }, 60_000);

  it('HTML nested 100 000 tags deep becomes a ticket of plain words', async () => {
    const html = '<div>'.repeat(100_000) + 'Принтер не печатает' + '</div>'.repeat(100_000);
    const res = await post(`From: deep@example.com\r\nTo: support@frontline.local\r\nSubject: Deep\r\nMIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n\r\n${html}\r\n`);
    expect(res.statusCode).toBe(202);
    await drainJobs(desk);
    // mailparser's own HTML-to-text spent seconds on this, then failed the message.
    const { inbound, ticket } = await ticketOf(res.json().id);
    expect(inbound.status).toBe('processed');
    expect(ticket.messages[0].body).toBe('Принтер не печатает');
    const mail = (await desk.request(admin, 'GET', `/api/v1/email/tickets/${ticket.id}`)).body;
    expect(mail.messages[0].html).toBeNull();
  }, 60_000);

  it('refuses bodies that are not mail, and callers without the capability', async () => {
    const empty = await desk.app.inject({ method: 'POST', url: '/api/v1/email/inbound', payload: '', headers: { ...admin.headers, 'content-type': 'message/rfc822' } });
    expect(empty.statusCode).toBe(400);
    const junk = await post('<<<not mail>>>');
    expect(junk.statusCode).toBe(400);
    expect(junk.json().error.code).toBe('invalid_message');
    const agent = await desk.as('agent');
    const denied = await desk.app.inject({ method: 'POST', url: '/api/v1/email/inbound', payload: 'From: a@b.c\r\n\r\nx', headers: { ...agent.headers, 'content-type': 'message/rfc822' } });
    expect(denied.statusCode).toBe(403);
    const unknownBox = await post('From: a@b.c\r\n\r\nx', '?mailbox=nobody@nowhere.test');
    expect(unknownBox.json().error.code).toBe('invalid_mailbox');
  }, 60_000);

  it('prose that merely looks like a quote header is kept in the body; a real attribution or Outlook block still collapses', async () => {
    const cases = [
      // "I want to buy books / what are the prices?": the line ends in كتب ("books", also "wrote").
      { id: 'ar-books', text: 'مرحبا\nأريد شراء كتب\nما هي الأسعار؟', keep: 'ما هي الأسعار؟', collapsed: false },
      // "Hello / my colleague wrote a letter / but got no answer": ends in نوشت ("wrote").
      { id: 'fa-wrote', text: 'سلام\nهمکارم یک نامه نوشت\nولی پاسخی نگرفت.', keep: 'ولی پاسخی نگرفت.', collapsed: false },
      { id: 'en-from', text: 'Hi,\nThe export fails.\nFrom: the reports page, after I press Save.\nThanks', keep: 'after I press Save', collapsed: false },
      { id: 'ar-attrib', text: 'شكرا\n\nفي 1 ديسمبر 2026، كتب Ahmed <ahmed@example.com>:\n> السؤال القديم', keep: 'شكرا', collapsed: true },
      { id: 'fa-attrib', text: 'ممنون\n\nدر تاریخ 1 دسامبر 2026 Samad <samad@example.ir> نوشت:\n> سوال قبلی', keep: 'ممنون', collapsed: true },
      { id: 'en-outlook', text: 'Thanks\n\nFrom: Support <support@localhost>\nSent: Monday\nTo: me@example.com\nSubject: Re: x\n\nold', keep: 'Thanks', collapsed: true },
    ];
    for (const c of cases) {
      const raw = `From: Sender <sender-${c.id}@example.com>\r\nTo: support@localhost\r\nSubject: Case ${c.id}\r\nMessage-ID: <${c.id}@example.com>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n${c.text.replace(/\n/g, '\r\n')}\r\n`;
      const res = await post(Buffer.from(raw, 'utf8'));
      expect(res.statusCode).toBe(202);
      await drainJobs(desk);
      const { ticket } = await ticketOf(res.json().id);
      expect(ticket.messages[0].body, c.id).toContain(c.keep);
      const mail = (await desk.request(admin, 'GET', `/api/v1/email/tickets/${ticket.id}`)).body;
      expect(mail.messages[0].collapsed, c.id).toBe(c.collapsed);
    }
  }, 60_000);

  it('a 25 MB message is stored whole, with its attachment, and the server keeps answering meanwhile', async () => {
    const raw = largeMessage(25 * 1024 * 1024, '<large-1@example.com>');
    expect(raw.length).toBeGreaterThan(25 * 1024 * 1024);
    const res = await post(raw);
    expect(res.statusCode).toBe(202);
    // Health checks during processing are answered: the parse runs in the worker thread.
    let answered = 0;
    const processing = drainJobs(desk);
    const probe = (async () => {
      for (let i = 0; i < 5; i++) {
        const h = await desk.app.inject({ method: 'GET', url: '/healthz' });
        if (h.statusCode === 200) answered++;
      }
    })();
    await Promise.all([processing, probe]);
    expect(answered).toBe(5);
    const { ticket } = await ticketOf(res.json().id);
    expect(ticket.subject).toBe('Large log bundle');
    expect(ticket.messages[0].attachments[0].size).toBeGreaterThan(18 * 1024 * 1024);
  }, 180_000);
});

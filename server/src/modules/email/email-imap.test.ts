import fs from 'node:fs';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDesk, type Account, type TestDesk } from '../../../test/harness.js';
import { startDovecot } from './dovecot-kit.js';
import { mailboxes } from './email.table.js';
import { drainJobs } from './email-test-kit.js';
import { fetchMailboxOnce, startImapFetchers } from './imap-fetcher.js';

const dir = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../../../test/fixtures/email');

describe('IMAP: a Dovecot mailbox fetched by imapflow', () => {
  let desk: TestDesk;
  let admin: Account;
  let dovecot: Awaited<ReturnType<typeof startDovecot>>;

  beforeAll(async () => {
    dovecot = await startDovecot();
    desk = await startDesk();
    admin = await desk.as('admin');
  }, 300_000);
  afterAll(async () => {
    await desk?.close();
    await dovecot?.stop();
  });

  it('stores each new message, read or not, then marks it seen; a second pass fetches nothing; IDLE picks up new mail', async () => {
    const created = await desk.request(admin, 'POST', '/api/v1/email/mailboxes', {
      address: 'imap-desk@example.com',
      name: 'IMAP desk',
      inboundMethod: 'imap',
      // Off at first: the desk's own watcher leaves it alone while the test fetches by hand.
      active: false,
      imap: dovecot.imap(),
    });
    expect(created.status).toBe(201);
    const [mailbox] = await desk.ctx.db.select().from(mailboxes).where(eq(mailboxes.id, created.body.id));
    // Mail read before the desk was connected is the team's past, not new requests.
    dovecot.deliver(fs.readFileSync(path.join(dir, 'html-only.eml')), { seen: true });
    dovecot.deliver(fs.readFileSync(path.join(dir, 'ru-windows-1251.eml')));
    dovecot.deliver(fs.readFileSync(path.join(dir, 'ar-iso-8859-6.eml')));

    expect(await fetchMailboxOnce(desk.ctx, mailbox)).toBe(2);
    expect(dovecot.seenCount()).toBe(3);
    expect(await fetchMailboxOnce(desk.ctx, mailbox)).toBe(0);
    // Someone opens new mail in their mail client before the desk fetches it (the desk was down):
    // it is still a customer's request.
    dovecot.deliver(fs.readFileSync(path.join(dir, 'ru-koi8-r.eml')), { seen: true });
    expect(await fetchMailboxOnce(desk.ctx, mailbox)).toBe(1);
    expect(await fetchMailboxOnce(desk.ctx, mailbox)).toBe(0);
    await drainJobs(desk);
    const list = await desk.request(admin, 'GET', '/api/v1/tickets?channel=email');
    expect(list.body.data.map((t: { subject: string }) => t.subject).sort()).toEqual(['Вопрос по лицензии', 'طلب فاتورة', 'Не работает выгрузка в 1С'].sort());

    // Watching: switched on through the API, the mailbox is picked up without a restart, and over
    // IDLE new mail arrives without waiting for the poll.
    const watcher = await startImapFetchers(desk.ctx, { reloadMs: 500 });
    expect((await desk.request(admin, 'PATCH', `/api/v1/email/mailboxes/${mailbox.id}`, { active: true })).status).toBe(200);
    try {
      await new Promise((r) => setTimeout(r, 1500));
      dovecot.deliver(fs.readFileSync(path.join(dir, 'fa-windows-1256.eml')));
      let rows = 0;
      for (let i = 0; i < 100 && rows < 4; i++) {
        await new Promise((r) => setTimeout(r, 100));
        rows = (await desk.request(admin, 'GET', '/api/v1/email/inbound')).body.data.length;
      }
      expect(rows).toBe(4);
    } finally {
      await watcher.close();
    }
    await drainJobs(desk);
    const after = await desk.request(admin, 'GET', '/api/v1/tickets?channel=email');
    expect(after.body.data).toHaveLength(4);
  }, 120_000);

  it('a refused password shows on the mailbox in the server\'s words, without the password, and clears once it is put right', async () => {
    const wrong = 'not-the-password-9f2c';
    const created = await desk.request(admin, 'POST', '/api/v1/email/mailboxes', {
      address: 'imap-wrong@example.com',
      name: 'Wrong password',
      inboundMethod: 'imap',
      imap: dovecot.imap(wrong),
    });
    expect(created.status).toBe(201);
    expect(created.body.imap.error).toBeNull();
    const shown = async () => (await desk.request(admin, 'GET', '/api/v1/email/mailboxes')).body.data.find((m: { id: string }) => m.id === created.body.id);
    const watcher = await startImapFetchers(desk.ctx, { reloadMs: 500 });
    try {
      let box = await shown();
      for (let i = 0; i < 150 && !box.imap.error; i++) {
        await new Promise((r) => setTimeout(r, 100));
        box = await shown();
      }
      expect(box.imap.error).toMatch(/authentication failed/i);
      expect(box.imap.errorAt).toEqual(expect.any(String));
      expect(JSON.stringify(box)).not.toContain(wrong);

      const fixed = await desk.request(admin, 'PATCH', `/api/v1/email/mailboxes/${created.body.id}`, {
        imap: dovecot.imap(),
      });
      expect(fixed.status).toBe(200);
      for (let i = 0; i < 300 && box.imap.error; i++) {
        await new Promise((r) => setTimeout(r, 100));
        box = await shown();
      }
      expect(box.imap).toMatchObject({ error: null, errorAt: null });
    } finally {
      await watcher.close();
    }
  }, 120_000);
});

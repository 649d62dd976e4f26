import { eq } from 'drizzle-orm';
import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDesk, type Account, type TestDesk } from '../../../test/harness.js';
import { startDovecot } from './dovecot-kit.js';
import { mailboxes } from './email.table.js';
import { drainJobs } from './email-test-kit.js';
import { fetchMailboxOnce } from './imap-fetcher.js';
import { storeInbound } from './inbound-store.js';
import { largeMessage } from './large-message.js';

const MB = 1024 * 1024;

describe('IMAP mail held back as too large is fetched by itself once FRONTLINE_MAX_MESSAGE_MB allows it', () => {
  let desk: TestDesk;
  let admin: Account;
  let dovecot: Awaited<ReturnType<typeof startDovecot>>;

  beforeAll(async () => {
    dovecot = await startDovecot();
    desk = await startDesk({ env: { FRONTLINE_MAX_MESSAGE_MB: '1' } });
    admin = await desk.as('admin');
  }, 300_000);
  afterAll(async () => {
    await desk?.close();
    await dovecot?.stop();
  });

  const inbound = async (status?: string) => (await desk.request(admin, 'GET', `/api/v1/email/inbound?limit=200${status ? `&status=${status}` : ''}`)).body.data as Record<string, any>[];
  const bundleTickets = async () => ((await desk.request(admin, 'GET', '/api/v1/tickets?limit=200')).body.data as { subject: string }[]).filter((t) => t.subject === 'Large log bundle');
  // Read by the tests through the config, as a restart with another FRONTLINE_MAX_MESSAGE_MB would set it.
  const setLimitMb = (n: number) => ((desk.ctx.config as { maxMessageBytes: number }).maxMessageBytes = n * MB);

  /** The one ticket a held message became, with the attachment it carried. */
  async function expectOneTicket(messageIdHeader: string, heldId: string) {
    const rows = (await inbound()).filter((r) => r.messageIdHeader === messageIdHeader);
    const held = rows.find((r) => r.id === heldId)!;
    expect(held).toMatchObject({ status: 'duplicate', headersOnly: true, error: null });
    const whole = rows.find((r) => r.id === held.replacedBy)!;
    expect(whole).toMatchObject({ status: 'processed', headersOnly: false, source: 'imap' });
    expect(whole.size).toBeGreaterThan(MB);
    expect(new Set(rows.map((r) => r.ticketId).filter(Boolean)).size).toBe(1);
    const ticket = (await desk.request(admin, 'GET', `/api/v1/tickets/${whole.ticketId}`)).body;
    expect(ticket.messageCount).toBe(1);
    expect(ticket.messages[0].attachments).toHaveLength(1);
    expect(ticket.messages[0].attachments[0]).toMatchObject({ filename: 'logs.bin' });
    expect(ticket.messages[0].attachments[0].size).toBeGreaterThan(MB);
    return whole;
  }

  it('a raised limit fetches held mail at the next poll, once each, unflagged; a retry fetches it at once, or names the limit it is still over', async () => {
    const created = await desk.request(admin, 'POST', '/api/v1/email/mailboxes', { address: 'held@example.com', name: 'Held', inboundMethod: 'imap', active: false, imap: dovecot.imap() });
    expect(created.status).toBe(201);
    const [mailbox] = await desk.ctx.db.select().from(mailboxes).where(eq(mailboxes.id, created.body.id));

    const polled = largeMessage(1.5 * MB, '<held-poll@example.net>', 'poll@example.net');
    const crashed = largeMessage(1.5 * MB, '<held-crash@example.net>', 'crash@example.net');
    const retried = largeMessage(2.5 * MB, '<held-retry@example.net>', 'retry@example.net');
    const huge = largeMessage(4.5 * MB, '<held-huge@example.net>', 'huge@example.net');
    const anonymous = Buffer.from(largeMessage(1.5 * MB, '<gone>', 'anon@example.net').toString('latin1').replace('Message-ID: <gone>\r\n', ''), 'latin1');
    for (const m of [polled, crashed, retried, huge, anonymous]) dovecot.deliver(m);

    expect(await fetchMailboxOnce(desk.ctx, mailbox)).toBe(0);
    expect(dovecot.flaggedCount()).toBe(5);
    const held = await inbound('failed');
    expect(held).toHaveLength(5);
    expect(held.every((r) => r.headersOnly)).toBe(true);
    const entry = (id: string | null) => held.find((r) => r.messageIdHeader === id)!;
    expect(entry(null).error).toContain('no Message-ID');

    const early = await desk.request(admin, 'POST', `/api/v1/email/inbound/${entry('<held-poll@example.net>').id}/retry`);
    expect(early.status).toBe(409);
    expect(early.body.error).toMatchObject({ code: 'inbound_too_large', limitBytes: MB });
    expect(early.body.error.message).toContain('current limit of 1 MB (FRONTLINE_MAX_MESSAGE_MB)');

    setLimitMb(2);
    // A pass that crashed after storing one and removing its flag, before marking its entry.
    const stored = await storeInbound(desk.ctx, { raw: crashed, source: 'imap', mailboxId: mailbox.id, envelopeTo: [mailbox.address] });
    const imap = new ImapFlow({ ...dovecot.imap(), auth: { user: dovecot.user, pass: dovecot.password }, logger: false });
    await imap.connect();
    try {
      await imap.mailboxOpen('INBOX');
      const uids = await imap.search({ header: { 'message-id': '<held-crash@example.net>' } }, { uid: true });
      expect(uids).toHaveLength(1);
      await imap.messageFlagsRemove(String((uids as number[])[0]), ['\\Flagged'], { uid: true });
    } finally {
      await imap.logout();
    }
    expect(dovecot.flaggedCount()).toBe(4);

    expect(await fetchMailboxOnce(desk.ctx, mailbox)).toBe(2);
    await drainJobs(desk);
    await expectOneTicket('<held-poll@example.net>', entry('<held-poll@example.net>').id);
    const again = await expectOneTicket('<held-crash@example.net>', entry('<held-crash@example.net>').id);
    // The bytes stored before the crash are the ones it became: not a second copy.
    expect(again.id).toBe(stored.id);
    expect(dovecot.flaggedCount()).toBe(3);
    expect((await inbound('failed')).map((r) => r.messageIdHeader).sort()).toEqual([null, '<held-huge@example.net>', '<held-retry@example.net>'].sort());

    // Nothing more on the next poll.
    expect(await fetchMailboxOnce(desk.ctx, mailbox)).toBe(0);
    await drainJobs(desk);
    expect(await bundleTickets()).toHaveLength(2);

    const over = await desk.request(admin, 'POST', `/api/v1/email/inbound/${entry('<held-retry@example.net>').id}/retry`);
    expect(over.status).toBe(409);
    expect(over.body.error.code).toBe('inbound_too_large');
    expect(over.body.error.message).toContain('current limit of 2 MB (FRONTLINE_MAX_MESSAGE_MB)');
    const noId = await desk.request(admin, 'POST', `/api/v1/email/inbound/${entry(null).id}/retry`);
    expect(noId.status).toBe(409);
    expect(noId.body.error.code).toBe('inbound_not_fetchable');

    setLimitMb(3);
    const now = await desk.request(admin, 'POST', `/api/v1/email/inbound/${entry('<held-retry@example.net>').id}/retry`);
    expect(now.status).toBe(202);
    expect(now.body).toEqual({ id: entry('<held-retry@example.net>').id, status: 'pending' });
    await drainJobs(desk);
    await expectOneTicket('<held-retry@example.net>', entry('<held-retry@example.net>').id);
    expect(dovecot.flaggedCount()).toBe(2);
    expect((await inbound('failed')).map((r) => r.messageIdHeader).sort()).toEqual([null, '<held-huge@example.net>'].sort());
    expect(await bundleTickets()).toHaveLength(3);

    const done = await desk.request(admin, 'POST', `/api/v1/email/inbound/${entry('<held-retry@example.net>').id}/retry`);
    expect(done.status).toBe(409);
    expect(done.body.error.code).toBe('inbound_not_failed');
  }, 180_000);

  it('held mail not found on the server is not searched for again at every poll; Fetch now looks again', async () => {
    setLimitMb(1);
    const created = await desk.request(admin, 'POST', '/api/v1/email/mailboxes', { address: 'wander@example.com', name: 'Wander', inboundMethod: 'imap', active: false, imap: dovecot.imap() });
    expect(created.status).toBe(201);
    const reload = async () => (await desk.ctx.db.select().from(mailboxes).where(eq(mailboxes.id, created.body.id)))[0];
    dovecot.deliver(largeMessage(1.5 * MB, '<held-wander@example.net>', 'wander@example.net'));
    expect(await fetchMailboxOnce(desk.ctx, await reload())).toBe(0);
    const entry = async () => (await inbound()).find((r) => r.messageIdHeader === '<held-wander@example.net>')!;
    const held = await entry();
    expect(held).toMatchObject({ status: 'failed', headersOnly: true });

    // The mailbox looks at another folder for a while, as after a wrong setting: the held message is not there.
    const imap = new ImapFlow({ ...dovecot.imap(), auth: { user: dovecot.user, pass: dovecot.password }, logger: false });
    await imap.connect();
    await imap.mailboxCreate('Archive').finally(() => imap.logout());
    const moveTo = async (folder: string) =>
      expect((await desk.request(admin, 'PATCH', `/api/v1/email/mailboxes/${created.body.id}`, { imap: { ...dovecot.imap(), folder } })).status).toBe(200);
    await moveTo('Archive');
    setLimitMb(2);
    expect(await fetchMailboxOnce(desk.ctx, await reload())).toBe(0);
    expect((await entry()).error).toContain('no read message with Message-ID <held-wander@example.net> is in Archive');

    // Not found once, it is left to a person: the next polls do not search the server for it again.
    await moveTo('INBOX');
    expect(await fetchMailboxOnce(desk.ctx, await reload())).toBe(0);
    expect(await entry()).toMatchObject({ status: 'failed', replacedBy: null });

    // Fetch now looks again, and finds it.
    const now = await desk.request(admin, 'POST', `/api/v1/email/inbound/${held.id}/retry`);
    expect(now.status).toBe(202);
    await drainJobs(desk);
    await expectOneTicket('<held-wander@example.net>', held.id);
  }, 120_000);
});

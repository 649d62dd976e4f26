import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDesk, type Account, type TestDesk } from '../../../test/harness.js';
import { ManualClock } from '../../platform/clock.js';
import { drainJobs, startSink } from './email-test-kit.js';
import { largeMessage } from './large-message.js';
import { AUTO_REPLIES_PER_HOUR } from './inbound-process.js';

function mail(opts: { from: string; id: string; subject?: string; body?: string; inReplyTo?: string }) {
  return [
    `From: ${opts.from}`,
    'To: support@localhost',
    `Subject: ${opts.subject ?? 'Help please'}`,
    `Message-ID: ${opts.id}`,
    ...(opts.inReplyTo ? [`In-Reply-To: ${opts.inReplyTo}`, `References: ${opts.inReplyTo}`] : []),
    'Content-Type: text/plain; charset=UTF-8',
    '',
    opts.body ?? 'Something is wrong.',
    '',
  ].join('\r\n');
}

// Messages accepted together are processed together (one batch, one transaction): what one
// message writes must be seen by the next, and one bad message must not hold back the others.
describe('inbound mail processed in batches', () => {
  let desk: TestDesk;
  let sink: Awaited<ReturnType<typeof startSink>>;
  let admin: Account;
  const clock = new ManualClock(new Date('2026-11-24T08:00:00Z'));
  /** Accepts a message without processing it yet, as a burst of SMTP deliveries would. */
  const accept = async (raw: string) => {
    const res = await desk.app.inject({ method: 'POST', url: '/api/v1/email/inbound', payload: raw, headers: { ...admin.headers, 'content-type': 'message/rfc822' } });
    expect(res.statusCode).toBe(202);
    return res.json().id as string;
  };
  const inbound = async (id: string) => {
    const list = await desk.request(admin, 'GET', '/api/v1/email/inbound?limit=200');
    return list.body.data.find((i: { id: string }) => i.id === id);
  };
  const ticket = async (id: string) => (await desk.request(admin, 'GET', `/api/v1/tickets/${id}`)).body;

  beforeAll(async () => {
    sink = await startSink();
    desk = await startDesk({ clock, env: { FRONTLINE_SMTP_URL: sink.url } });
    admin = await desk.as('admin');
  }, 300_000);
  afterAll(async () => {
    await desk?.close();
    await sink?.close();
  });

  it('a reply accepted right behind its parent joins the parent ticket; acknowledgements count across the batch', async () => {
    const parent = await accept(mail({ from: 'lena@example.org', id: '<batch-parent@example.org>', subject: 'VPN drops' }));
    const reply = await accept(mail({ from: 'lena@example.org', id: '<batch-reply@example.org>', subject: 'Re: VPN drops', inReplyTo: '<batch-parent@example.org>', body: 'Still dropping.' }));
    const others: string[] = [];
    for (let i = 0; i < AUTO_REPLIES_PER_HOUR + 1; i++) others.push(await accept(mail({ from: 'lena@example.org', id: `<batch-other-${i}@example.org>`, subject: `Other ${i}` })));
    await drainJobs(desk);

    const first = await inbound(parent);
    expect(first.status).toBe('processed');
    const second = await inbound(reply);
    expect(second).toMatchObject({ status: 'processed', ticketId: first.ticketId });
    expect((await ticket(first.ticketId)).messageCount).toBe(2);
    for (const id of others) expect((await inbound(id)).status).toBe('processed');
    // Five new requests from one sender in one batch: acknowledgements stop at the hourly limit.
    expect(sink.received.filter((m) => m.to.includes('lena@example.org'))).toHaveLength(AUTO_REPLIES_PER_HOUR);
  }, 120_000);

  it('a reply waits while earlier mail is being processed elsewhere, then joins its parent; on its last try it goes ahead', async () => {
    const job = (id: string) => sql`name = 'email.inbound' and payload->>'inboundId' = ${id}`;
    /** Another node has claimed this message and not committed yet. */
    const holdElsewhere = (id: string) => desk.ctx.db.execute(sql`update jobs set status = 'running', locked_by = 'other-node', locked_at = ${clock.now().toISOString()}::timestamptz where ${job(id)}`);
    const release = (id: string) => desk.ctx.db.execute(sql`update jobs set status = 'pending', locked_by = null, run_at = ${clock.now().toISOString()}::timestamptz where ${job(id)}`);
    const laterRetry = async () => {
      clock.advance(60_000);
      await drainJobs(desk);
    };

    const parent = await accept(mail({ from: 'omid@example.ir', id: '<wait-parent@example.ir>', subject: 'Printer jam' }));
    clock.advance(1000);
    const reply = await accept(mail({ from: 'omid@example.ir', id: '<wait-reply@example.ir>', subject: 'Re: Printer jam', inReplyTo: '<wait-parent@example.ir>', body: 'Still jammed.' }));
    await holdElsewhere(parent);
    await drainJobs(desk);
    // Not a ticket of its own: it waits for the runner's next try.
    expect(await inbound(reply)).toMatchObject({ status: 'pending', ticketId: null });
    await release(parent);
    await laterRetry();
    const first = await inbound(parent);
    expect(first.status).toBe('processed');
    expect(await inbound(reply)).toMatchObject({ status: 'processed', ticketId: first.ticketId });

    // The earlier message never comes through: the reply does not wait forever.
    const stuck = await accept(mail({ from: 'omid@example.ir', id: '<wait-stuck@example.ir>', subject: 'Scanner' }));
    clock.advance(1000);
    const orphan = await accept(mail({ from: 'omid@example.ir', id: '<wait-orphan@example.ir>', subject: 'Re: Scanner', inReplyTo: '<wait-stuck@example.ir>' }));
    await holdElsewhere(stuck);
    for (let i = 0; i < 3; i++) await laterRetry();
    const alone = await inbound(orphan);
    expect(alone.status).toBe('processed');
    expect(alone.ticketId).not.toBe(first.ticketId);
    await release(stuck);
    await drainJobs(desk);
  }, 120_000);

  it('the same Message-ID twice in one batch: a copy is applied once, other mail under the id is kept', async () => {
    const raw = mail({ from: 'lena@example.org', id: '<batch-twice@example.org>', subject: 'Printer' });
    const a = await accept(raw);
    // Sent twice by her phone, the second time through another relay.
    const b = await accept(`Received: from relay2.example.org by mx.example.org\r\n${raw}`);
    // Her phone gave its next mail the same id.
    const c = await accept(mail({ from: 'lena@example.org', id: '<batch-twice@example.org>', subject: 'Printer', body: 'Now it prints blank pages.' }));
    await drainJobs(desk);
    const first = await inbound(a);
    expect(first.status).toBe('processed');
    expect(await inbound(b)).toMatchObject({ status: 'duplicate', ticketId: first.ticketId });
    expect((await ticket(first.ticketId)).messageCount).toBe(1);
    const other = await inbound(c);
    expect(other).toMatchObject({ status: 'processed', ticketId: expect.any(String) });
    expect((await ticket(other.ticketId)).messages.map((m: { body: string }) => m.body)).toContain('Now it prints blank pages.');
  }, 60_000);

  it('a message the database refuses fails on its own; the rest of its batch becomes tickets', async () => {
    // The database itself refuses one message's text, as it would refuse a value it cannot store.
    await desk.ctx.db.execute(sql`alter table messages add constraint test_refuse check (body not like '%REFUSE ME%')`);
    try {
      const good = [await accept(mail({ from: 'omar@example.org', id: '<batch-good-1@example.org>' }))];
      const bad = await accept(mail({ from: 'omar@example.org', id: '<batch-bad@example.org>', body: 'REFUSE ME' }));
      good.push(await accept(mail({ from: 'omar@example.org', id: '<batch-good-2@example.org>' })));
      await drainJobs(desk);
      for (const id of good) expect(await inbound(id)).toMatchObject({ status: 'processed', ticketId: expect.any(String) });
      const failing = await inbound(bad);
      expect(failing).toMatchObject({ status: 'pending', ticketId: null, attempts: 1 });
      expect(failing.error).toMatch(/insert into "?messages"?/);
      // Retried with backoff like any job, then left in the failed list for a person.
      for (let i = 0; i < 3; i++) {
        clock.advance(3600_000);
        await drainJobs(desk);
      }
      expect(await inbound(bad)).toMatchObject({ status: 'failed', ticketId: null, attempts: 3 });
    } finally {
      await desk.ctx.db.execute(sql`alter table messages drop constraint test_refuse`);
    }
  }, 120_000);

  it('a batch of large messages is applied in parts, every message still once', async () => {
    const ids: string[] = [];
    // 3 × 25 MB: more than one transaction may hold, so the batch is split.
    for (let i = 0; i < 3; i++) {
      const res = await desk.app.inject({
        method: 'POST',
        url: '/api/v1/email/inbound',
        payload: largeMessage(25 * 1024 * 1024, `<batch-large-${i}@example.org>`, `big${i}@example.org`),
        headers: { ...admin.headers, 'content-type': 'message/rfc822' },
      });
      expect(res.statusCode).toBe(202);
      ids.push(res.json().id);
    }
    ids.push(await accept(mail({ from: 'small@example.org', id: '<batch-after-large@example.org>' })));
    await drainJobs(desk);
    const tickets = new Set<string>();
    for (const id of ids) {
      const row = await inbound(id);
      expect(row.status).toBe('processed');
      tickets.add(row.ticketId);
    }
    expect(tickets.size).toBe(4);
    expect((await ticket([...tickets][0])).messages[0].attachments).toHaveLength(1);
  }, 180_000);

  it('a NUL character, which PostgreSQL text cannot hold, is dropped rather than failing the message', async () => {
    const id = await accept(mail({ from: 'omar@example.org', id: '<batch-nul@example.org>', subject: 'Log\u0000 attached', body: 'binary \u0000 junk' }));
    await drainJobs(desk);
    const row = await inbound(id);
    expect(row).toMatchObject({ status: 'processed', subject: 'Log attached' });
    expect((await ticket(row.ticketId)).messages[0].body).toBe('binary  junk');
  }, 60_000);

  it('the received list pages newest first with a cursor: every message once, ties in time included', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await accept(mail({ from: `pager${i}@example.com`, id: `<pager-${i}@example.com>` })));
    await drainJobs(desk);
    // Mail arriving in the same instant (one batch of an IMAP poll): the id orders it.
    await desk.ctx.db.execute(sql`update inbound_emails set received_at = '2026-11-24T08:00:00Z' where id in (${sql.join(ids.map((id) => sql`${id}::uuid`), sql`, `)})`);
    const all = (await desk.request(admin, 'GET', '/api/v1/email/inbound?limit=200')).body;
    expect(all.nextCursor).toBeNull();
    const walked: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { status: number; body: { data: { id: string }[]; nextCursor: string | null } } = await desk.request(admin, 'GET', `/api/v1/email/inbound?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status).toBe(200);
      expect(page.body.data.length).toBeLessThanOrEqual(2);
      walked.push(...page.body.data.map((m) => m.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(walked).toEqual(all.data.map((m: { id: string }) => m.id));
    for (const id of ids) expect(walked.filter((w) => w === id)).toHaveLength(1);

    const bad = await desk.request(admin, 'GET', '/api/v1/email/inbound?cursor=nonsense');
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'invalid_cursor', field: 'cursor' });
  });
});

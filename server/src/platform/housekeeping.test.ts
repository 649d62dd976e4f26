import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDesk, type TestDesk } from '../../test/harness.js';
import { drainJobs } from '../../test/promises.js';
import { ManualClock } from './clock.js';
import { enqueue } from './jobs/jobs.js';
import { storageKeyColumns } from './leftover-files.js';

const clock = new ManualClock(new Date('2026-01-05T09:00:00Z'));
let desk: TestDesk;

beforeAll(async () => {
  desk = await startDesk({ clock, extraJobs: { 'test.noop': async () => {} } });
});
afterAll(async () => desk?.close());

const count = async (query: ReturnType<typeof sql>) => Number(((await desk.ctx.db.execute(query)).rows[0] as { n: number }).n);

describe('housekeeping', () => {
  it('removes expired sessions, old sign-in failures and long-finished jobs every hour, and keeps the rest', async () => {
    const old = await desk.as('agent');
    await desk.request(null, 'POST', '/api/v1/auth/login', { email: old.email, password: 'wrong password' });
    await enqueue(desk.ctx.db, 'test.noop', {}, { runAt: clock.now() });
    await drainJobs(desk);
    expect(await count(sql`select count(*)::int as n from jobs where name = 'test.noop' and status = 'done'`)).toBe(1);

    clock.advance(15 * 86400_000); // past the 14-day sessions, the day of failures and the week of jobs
    const fresh = await desk.as('agent');
    await drainJobs(desk);

    expect(await count(sql`select count(*)::int as n from sessions s join users u on u.id = s.user_id where u.email = ${old.email}`)).toBe(0);
    expect(await count(sql`select count(*)::int as n from sessions s join users u on u.id = s.user_id where u.email = ${fresh.email}`)).toBe(1);
    expect(await count(sql`select count(*)::int as n from login_failures`)).toBe(0);
    expect(await count(sql`select count(*)::int as n from jobs where name = 'test.noop'`)).toBe(0);
    // The fresh session still works, and the next sweep waits in the queue.
    expect((await desk.request(fresh, 'GET', '/api/v1/auth/me')).status).toBe(200);
    expect(await count(sql`select count(*)::int as n from jobs where name = 'housekeeping' and status = 'pending'`)).toBe(1);
  });
});

describe('leftover stored files', () => {
  const fileOf = (key: string) => desk.ctx.storage.fileOf!(key);
  const age = (file: string, at: Date) => fs.utimesSync(file, at, at);

  it('are removed once a day when no row names them and they are over a day old; named and recent files stay', async () => {
    const admin = await desk.as('admin');
    const created = await desk.request(admin, 'POST', '/api/v1/tickets', {
      subject: 'Scanner', channel: 'email', requester: { email: 'scan@example.com' }, body: 'See the scan',
      attachments: [{ filename: 'scan.txt', contentType: 'text/plain', contentBase64: Buffer.from('the scan').toString('base64') }],
    });
    expect(created.status).toBe(201);
    const attachment = created.body.messages[0].attachments[0];
    const mail = `From: someone@example.com\r\nTo: desk@example.com\r\nSubject: Hello\r\nMessage-ID: <leftover-test@example.com>\r\n\r\nHello desk\r\n`;
    const inbound = await desk.app.inject({ method: 'POST', url: '/api/v1/email/inbound', payload: mail, headers: { ...admin.headers, 'content-type': 'message/rfc822' } });
    expect(inbound.statusCode).toBe(202);
    await drainJobs(desk);

    // What a crash between storing a file and committing its row leaves, and a write cut off halfway.
    const leftover = await desk.ctx.storage.put(Buffer.from('nobody names me'));
    const recent = await desk.ctx.storage.put(Buffer.from('my row may still be on its way'));
    const partial = `${fileOf(await desk.ctx.storage.put(Buffer.from('x')))}.tmp`;
    fs.renameSync(partial.slice(0, -4), partial);

    // Next 03:00 on the desk's clock; everything but `recent` was written two days before.
    const sweepAt = new Date(Math.ceil(clock.now().getTime() / 86400_000) * 86400_000 + 3 * 3600_000);
    const old = new Date(sweepAt.getTime() - 2 * 86400_000);
    const folder = path.dirname(path.dirname(fileOf(leftover)));
    for (const sub of fs.readdirSync(folder)) for (const f of fs.readdirSync(path.join(folder, sub))) age(path.join(folder, sub, f), old);
    age(fileOf(recent), new Date(sweepAt.getTime() - 3600_000));

    clock.set(new Date(sweepAt.getTime() - 3600_000)); // the 02:00 sweep queues the 03:00 one
    await drainJobs(desk);
    expect(fs.existsSync(fileOf(leftover)), 'only the 03:00 sweep looks at files').toBe(true);
    clock.set(sweepAt);
    await drainJobs(desk);

    expect(fs.existsSync(fileOf(leftover))).toBe(false);
    expect(fs.existsSync(partial)).toBe(false);
    expect(fs.existsSync(fileOf(recent))).toBe(true);
    const file = await desk.request(admin, 'GET', `/api/v1/attachments/${attachment.id}`);
    expect(file.status).toBe(200);
    const raw = await desk.app.inject({ method: 'GET', url: `/api/v1/email/inbound/${inbound.json().id}/raw`, headers: admin.headers });
    expect(raw.statusCode).toBe(200);
    expect(raw.body).toContain('Hello desk');
  });

  it('knows every column that names a stored file', async () => {
    const rows = (await desk.ctx.db.execute(sql`select table_name, column_name from information_schema.columns where table_schema = 'public' and column_name like '%storage_key%' order by 1`)).rows;
    expect((rows as { table_name: string; column_name: string }[]).map((r) => `${r.table_name}.${r.column_name}`)).toEqual(storageKeyColumns.map((c) => `${c.table}.${c.column}`).sort());
  });
});

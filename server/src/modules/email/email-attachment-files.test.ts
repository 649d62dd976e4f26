import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDesk, storedFileCount, type Account, type TestDesk } from '../../../test/harness.js';
import { drainJobs } from './email-test-kit.js';

const fixture = fs.readFileSync(path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../../../test/fixtures/email/attachments.eml'), 'latin1');

/** The attachment files of inbound mail: kept for the message that shows them, and only for it. */
describe('attachment files of inbound mail', () => {
  let desk: TestDesk;
  let admin: Account;
  beforeAll(async () => {
    desk = await startDesk();
    admin = await desk.as('admin');
  });
  afterAll(async () => desk?.close());

  const files = () => storedFileCount(desk);
  const post = async (raw: string) => {
    const res = await desk.app.inject({ method: 'POST', url: '/api/v1/email/inbound', payload: Buffer.from(raw, 'latin1'), headers: { ...admin.headers, 'content-type': 'message/rfc822' } });
    expect(res.statusCode).toBe(202);
    await drainJobs(desk);
    const list = await desk.request(admin, 'GET', '/api/v1/email/inbound?limit=200');
    return list.body.data.find((i: { id: string }) => i.id === res.json().id) as { status: string; ticketId: string | null };
  };

  it('stores a message’s attachments once; a copy under the same Message-ID leaves only its own raw mail behind', async () => {
    const before = files();
    const first = await post(fixture);
    expect(first.status).toBe('processed');
    const ticket = (await desk.request(admin, 'GET', `/api/v1/tickets/${first.ticketId}`)).body;
    const attached = ticket.messages.flatMap((m: { attachments: unknown[] }) => m.attachments).length;
    expect(attached).toBeGreaterThan(0);
    // The raw mail and each attachment.
    expect(files()).toBe(before + 1 + attached);

    // The same message by another path: other bytes (a Received line), the same Message-ID.
    const copy = await post(`Received: from relay.example.net by mx.example.org; Tue, 24 Nov 2026 08:00:05 +0000\r\n${fixture}`);
    expect(copy.status).toBe('duplicate');
    expect(files()).toBe(before + 1 + attached + 1);
  });
});

import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDesk, type Account, type TestDesk } from '../../../test/harness.js';
import { startDovecot } from './dovecot-kit.js';

const dir = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../../../test/fixtures/email');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: () => Promise<boolean> | boolean, ms: number) {
  for (const end = Date.now() + ms; Date.now() < end; await sleep(200)) if (await what()) return true;
  return false;
}

describe('IMAP: the IMAP server restarted while the desk watches it', () => {
  let desk: TestDesk | undefined;
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

  it('reconnects with one connection, fetches what came meanwhile once, and leaves none open when stopped', async () => {
    const created = await desk!.request(admin, 'POST', '/api/v1/email/mailboxes', {
      address: 'outage-desk@example.com',
      name: 'Outage desk',
      inboundMethod: 'imap',
      imap: dovecot.imap(),
    });
    expect(created.status).toBe(201);
    const inbound = async () => (await desk!.request(admin, 'GET', '/api/v1/email/inbound')).body.data.length as number;
    // The desk's own watcher reads the mailbox list every 30 s.
    expect(await until(() => dovecot.sessions() === 1, 40_000)).toBe(true);

    await dovecot.halt();
    dovecot.deliver(fs.readFileSync(path.join(dir, 'ru-windows-1251.eml')));
    // Its sessions end some seconds after the master; then the desk finds the port closed a while.
    expect(await until(() => dovecot.sessions() === 0, 30_000)).toBe(true);
    await sleep(15_000);
    await dovecot.start();

    expect(await until(async () => (await inbound()) === 1, 30_000)).toBe(true);
    // Every failed attempt used to schedule two more, up to a minute apart: after this outage the
    // desk held 2, then 4 connections, and kept them after it stopped.
    await sleep(65_000);
    expect(dovecot.sessions()).toBe(1);
    expect(await inbound()).toBe(1);
    expect(dovecot.unseenCount()).toBe(0);

    await desk!.close();
    desk = undefined;
    expect(await until(() => dovecot.sessions() === 0, 5_000)).toBe(true);
  }, 240_000);
});

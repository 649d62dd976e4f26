import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { afterAll, describe, expect, it } from 'vitest';
import { freshDatabaseUrl } from '../../../test/harness.js';
import { tempFolders } from '../../../test/temp-folders.js';
import { freePort } from './dovecot-kit.js';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../../..');
const TOTAL = 60;

type Proc = { child: ChildProcess; output: () => string };

function startServer(env: Record<string, string>): Promise<Proc> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 400_000);
    const check = () => {
      if (out.includes('Frontline is running')) {
        clearTimeout(timer);
        resolve({ child, output: () => out });
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code}):\n${out}`));
    });
  });
}

describe('the kill test: SIGKILL during ingestion loses and doubles nothing', () => {
  const procs: ChildProcess[] = [];
  const folders = tempFolders('kill');
  afterAll(async () => {
    await Promise.all(procs.filter((p) => p.exitCode === null && p.signalCode === null).map((p) => new Promise((resolve) => (p.once('exit', resolve), p.kill('SIGKILL')))));
    folders.removeAll();
  });

  it('every message answered 250 becomes exactly one ticket or one reply after a restart', async () => {
    const dataDir = folders.make();
    const databaseUrl = await freshDatabaseUrl();
    const [httpPort, smtpPort] = [await freePort(), await freePort()];
    const env: Record<string, string> = {
      PORT: String(httpPort),
      HOST: '127.0.0.1',
      FRONTLINE_DATA_DIR: dataDir,
      FRONTLINE_SMTP_PORT: String(smtpPort),
      FRONTLINE_SMTP_HOST: '127.0.0.1',
      FRONTLINE_ADMIN_EMAIL: 'admin@kill.test',
      FRONTLINE_ADMIN_PASSWORD: 'kill-test-password',
      FRONTLINE_JOBS: 'on',
      LOG_LEVEL: 'silent',
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    };
    const first = await startServer(env);
    procs.push(first.child);

    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: smtpPort, secure: false, ignoreTLS: true, pool: true, maxConnections: 3, maxMessages: Infinity });
    const accepted = new Set<number>();
    let killed = false;
    const send = async (i: number) => {
      try {
        const info = await transport.sendMail({
          from: `Sender ${i} <s${i % 7}@kill.example>`,
          to: 'support@localhost',
          subject: i % 3 === 2 ? `Re: case ${i - 1}` : `case ${i}`,
          messageId: `<kill-${i}@kill.example>`,
          ...(i % 3 === 2 ? { inReplyTo: `<kill-${i - 1}@kill.example>`, references: [`<kill-${i - 1}@kill.example>`] } : {}),
          text: `marker-${i}-end\nSome words of message ${i}.`,
        });
        if (/^250 /.test(info.response)) accepted.add(i);
      } catch {
        /* refused or cut off: the sender knows it was not accepted */
      }
    };
    const sending: Promise<void>[] = [];
    for (let i = 0; i < TOTAL; i++) {
      sending.push(send(i));
      // Kill the process in the middle: some messages stored, some parsed, some half-applied.
      if (i === Math.floor(TOTAL / 2)) {
        await new Promise((r) => setTimeout(r, 150));
        while (accepted.size < TOTAL / 4) await new Promise((r) => setTimeout(r, 20));
        first.child.kill('SIGKILL');
        killed = true;
        await new Promise((r) => first.child.once('exit', r));
      }
    }
    await Promise.all(sending);
    transport.close();
    expect(killed).toBe(true);
    expect(accepted.size).toBeGreaterThanOrEqual(TOTAL / 4);

    // Restart on the same data and let it work through what was stored.
    const second = await startServer(env);
    procs.push(second.child);
    // A second batch after the restart, so the restarted process ingests live too.
    const transport2 = nodemailer.createTransport({ host: '127.0.0.1', port: smtpPort, secure: false, ignoreTLS: true });
    for (let i = TOTAL; i < TOTAL + 6; i++) {
      const info = await transport2.sendMail({ from: `s@kill.example`, to: 'support@localhost', subject: `case ${i}`, messageId: `<kill-${i}@kill.example>`, text: `marker-${i}-end` });
      expect(info.response).toMatch(/^250 /);
      accepted.add(i);
    }
    transport2.close();

    const base = `http://127.0.0.1:${httpPort}/api/v1`;
    const login = await fetch(`${base}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'admin@kill.test', password: 'kill-test-password' }) });
    const { token } = (await login.json()) as { token: string };
    const get = async (url: string) => (await fetch(`${base}${url}`, { headers: { authorization: `Bearer ${token}` } })).json() as Promise<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    let pending = -1;
    for (let i = 0; i < 2000 && pending !== 0; i++) {
      const rows = (await get('/email/inbound?limit=200')).data as { status: string }[];
      pending = rows.filter((r) => r.status === 'pending').length;
      if (pending) await new Promise((r) => setTimeout(r, 200));
    }
    expect(pending).toBe(0);
    const failed = (await get('/email/inbound?status=failed')).data;
    expect(failed).toEqual([]);

    // Count every marker across every ticket's messages.
    const seen = new Map<number, number>();
    let cursor: string | null = null;
    const ids: string[] = [];
    do {
      const page = await get(`/tickets?limit=100&channel=email${cursor ? `&cursor=${cursor}` : ''}`);
      ids.push(...page.data.map((t: { id: string }) => t.id));
      cursor = page.nextCursor;
    } while (cursor);
    for (const id of ids) {
      const t = await get(`/tickets/${id}`);
      for (const m of t.messages as { body: string }[]) {
        const n = /marker-(\d+)-end/.exec(m.body);
        if (n) seen.set(Number(n[1]), (seen.get(Number(n[1])) ?? 0) + 1);
      }
    }
    for (const i of accepted) expect(seen.get(i), `message ${i} was accepted`).toBe(1);
    for (const [i, count] of seen) expect(count, `message ${i}`).toBe(1);
    second.child.kill('SIGTERM');
    await new Promise((r) => second.child.once('exit', r));
  }, 900_000);
});

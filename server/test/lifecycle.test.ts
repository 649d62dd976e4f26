import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { call, spawnApp, type AppProcess } from './app-process.js';
import { dbKind, freshDatabaseUrl } from './harness.js';
import { tempFolders } from './temp-folders.js';

// The real process entry, started and stopped as an operator would. On the PostgreSQL pass the
// data lives in a fresh PostgreSQL database (attachments still in the data folder); otherwise in PGlite on disk.
const started: AppProcess[] = [];
afterEach(async () => {
  for (const p of started.splice(0)) await p.stop('SIGKILL');
});

async function start(env: Record<string, string>) {
  const p = await spawnApp(env);
  started.push(p);
  return p;
}
const folders = tempFolders('life');
const tempDir = () => folders.make();
afterAll(() => folders.removeAll());

async function signIn(p: AppProcess, email: string, password: string) {
  const res = await call(p.url, 'POST', '/api/v1/auth/login', { email, password });
  expect(res.status).toBe(200);
  return res.body.token as string;
}

/**
 * Sends a large ticket in two halves. Resolves `started` once the server has read the request
 * head (it answers `100 Continue`), and sends the rest only when `release()` is called.
 */
function slowUpload(p: AppProcess, token: string, payload: string) {
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  let onStarted!: () => void;
  const started = new Promise<void>((r) => (onStarted = r));
  const body = Buffer.from(payload);
  const response = new Promise<{ status: number; body: any }>((resolve, reject) => {
    const req = http.request(`${p.url}/api/v1/tickets`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': body.length, authorization: `Bearer ${token}`, expect: '100-continue' },
    });
    req.on('continue', () => {
      const half = Math.floor(body.length / 2);
      req.write(body.subarray(0, half));
      onStarted();
      void released.then(() => req.end(body.subarray(half)));
    });
    req.on('response', (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined }));
    });
    req.on('error', reject);
  });
  return { started, release, response };
}

describe('process lifecycle', () => {
  it('prints the first admin once, keeps data across SIGTERM + restart, and lets an in-flight upload finish', { timeout: 600_000 }, async () => {
    const dataDir = tempDir();
    const databaseUrl = await freshDatabaseUrl();
    const env = { FRONTLINE_DATA_DIR: dataDir, FRONTLINE_NODE_ID: 'life-1', ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) };

    const first = await start(env);
    const health = await first.waitHealthy();
    expect(health).toEqual({ status: 'ok', database: dbKind, node: 'life-1' });
    const email = (await first.waitForOutput(/email:\s+(\S+)/))[1];
    const printed = (await first.waitForOutput(/password:\s+(\S+)\s+\(shown once/))[1];
    expect(email).toBe('admin@frontline.local');
    expect(printed.length).toBeGreaterThanOrEqual(12);
    const token = await signIn(first, email, printed);
    // The printed password is flagged one-time (the web app asks for a new one); the API still answers.
    expect((await call(first.url, 'GET', '/api/v1/tickets', undefined, token)).status).toBe(200);
    expect((await call(first.url, 'GET', '/api/v1/auth/me', undefined, token)).body).toMatchObject({ mustChangePassword: true });
    const password = 'the admin chose this one';
    expect((await call(first.url, 'POST', '/api/v1/auth/password', { currentPassword: printed, newPassword: password }, token)).status).toBe(204);

    const ticket = await call(first.url, 'POST', '/api/v1/tickets', {
      subject: 'Заказ не пришёл',
      channel: 'email',
      requester: { email: 'ivan@example.ru', name: 'Иван' },
      body: 'Здравствуйте! Мой заказ так и не пришёл.',
    }, token);
    expect(ticket.status).toBe(201);

    // SIGTERM while a 6 MB upload is half sent: the server drains it before exiting.
    const file = crypto.randomBytes(6 * 1024 * 1024);
    const upload = slowUpload(first, token, JSON.stringify({
      subject: 'Invoice scan',
      channel: 'email',
      requester: { email: 'ivan@example.ru' },
      body: 'Attached.',
      attachments: [{ filename: 'scan.pdf', contentType: 'application/pdf', contentBase64: file.toString('base64') }],
    }));
    await upload.started;
    first.child.kill('SIGTERM');
    await first.waitForOutput(/draining requests/);
    upload.release();
    const uploaded = await upload.response;
    expect(uploaded.status).toBe(201);
    expect(uploaded.body.messages[0].attachments[0]).toMatchObject({ filename: 'scan.pdf', size: file.length });
    expect(await first.exited).toBe(0);
    // New connections are refused once it is gone.
    await expect(fetch(`${first.url}/healthz`)).rejects.toThrow();

    const second = await start(env);
    await second.waitHealthy();
    expect(second.stdout()).not.toContain('First admin account created');
    expect(second.stdout()).not.toContain(printed);
    const token2 = await signIn(second, email, password);
    const list = await call(second.url, 'GET', '/api/v1/tickets?sort=createdAt', undefined, token2);
    expect(list.status).toBe(200);
    const subjects = list.body.data.map((t: { subject: string }) => t.subject);
    expect(subjects).toEqual(expect.arrayContaining(['Заказ не пришёл', 'Invoice scan']));
    const kept = await call(second.url, 'GET', `/api/v1/tickets/${uploaded.body.id}`, undefined, token2);
    const att = kept.body.messages[0].attachments[0];
    const download = await fetch(`${second.url}${att.url}`, { headers: { authorization: `Bearer ${token2}` } });
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer()).equals(file)).toBe(true);

    expect(await second.stop('SIGTERM')).toBe(0);
  });

  it('uses FRONTLINE_ADMIN_EMAIL and FRONTLINE_ADMIN_PASSWORD when given, without printing the password', { timeout: 300_000 }, async () => {
    const databaseUrl = await freshDatabaseUrl();
    const p = await start({
      FRONTLINE_DATA_DIR: tempDir(),
      FRONTLINE_ADMIN_EMAIL: 'Boss@Example.com',
      FRONTLINE_ADMIN_PASSWORD: 'operator chosen secret',
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    });
    await p.waitHealthy();
    expect(p.stdout()).toMatch(/email:\s+boss@example\.com/);
    expect(p.stdout()).toContain('password: the one in FRONTLINE_ADMIN_PASSWORD');
    expect(p.stdout() + p.stderr()).not.toContain('operator chosen secret');
    const token = await signIn(p, 'boss@example.com', 'operator chosen secret');
    const me = await call(p.url, 'GET', '/api/v1/auth/me', undefined, token);
    // A password the operator chose is not one-time.
    expect(me.body).toMatchObject({ email: 'boss@example.com', role: 'admin', mustChangePassword: false });
    expect((await call(p.url, 'GET', '/api/v1/tickets', undefined, token)).status).toBe(200);
    expect((await call(p.url, 'POST', '/api/v1/auth/login', { email: 'admin@frontline.local', password: 'operator chosen secret' })).status).toBe(401);
    expect(await p.stop()).toBe(0);
  });

  it('a bad setting exits with code 2 and names the variable', { timeout: 300_000 }, async () => {
    const bad = await start({ FRONTLINE_DATA_DIR: tempDir(), PORT: 'abc' });
    expect(await bad.exited).toBe(2);
    expect(bad.stderr()).toMatch(/PORT/);
    expect(bad.stdout()).not.toContain('Frontline is running');

    const weak = await start({ FRONTLINE_DATA_DIR: tempDir(), FRONTLINE_ADMIN_PASSWORD: 'short' });
    expect(await weak.exited).toBe(2);
    expect(weak.stderr()).toMatch(/FRONTLINE_ADMIN_PASSWORD: must be at least 10 characters/);
    expect(weak.stderr()).not.toContain('short');

    for (const [name, value] of [['FRONTLINE_TRUST_PROXY', 'everyone'], ['FRONTLINE_PUBLIC_URL', 'help.example.com'], ['FRONTLINE_SESSION_DAYS', '0']]) {
      const p = await start({ FRONTLINE_DATA_DIR: tempDir(), [name]: value });
      expect(await p.exited).toBe(2);
      expect(p.stderr()).toContain(name);
      expect(p.stderr()).not.toMatch(/\n\s+at /);
    }

    const big = await start({ FRONTLINE_DATA_DIR: tempDir(), FRONTLINE_MAX_MESSAGE_MB: '41' });
    expect(await big.exited).toBe(2);
    expect(big.stderr()).toContain('FRONTLINE_MAX_MESSAGE_MB: must be a whole number of megabytes from 1 to 40');
  });

  it('an empty setting counts as unset: FRONTLINE_DATA_DIR= means ./data, not the current folder', { timeout: 300_000 }, async () => {
    const cwd = tempDir();
    const databaseUrl = await freshDatabaseUrl();
    const empty = { FRONTLINE_DATA_DIR: '', FRONTLINE_JOBS: '', FRONTLINE_TRUST_PROXY: '', FRONTLINE_SUPPORT_ADDRESS: '', LOG_LEVEL: '', FRONTLINE_SMTP_HOST: ' ' };
    const p = await spawnApp({ ...empty, ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) }, { cwd });
    started.push(p);
    await p.waitHealthy();
    expect(await p.stop()).toBe(0);
    expect(fs.readdirSync(cwd)).toEqual(['data']);
  });

  it('a start that cannot work (port taken, data folder a file) exits 1 with one line saying why, before writing anything', { timeout: 300_000 }, async () => {
    const taken = http.createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as { port: number }).port;
    const dir = tempDir();
    const busy = await start({ FRONTLINE_DATA_DIR: dir, PORT: String(port) });
    expect(await busy.exited).toBe(1);
    taken.close();
    expect(busy.stderr().trim()).toMatch(new RegExp(`^Cannot listen on 127.0.0.1:${port}: the port is in use`));
    expect(busy.stderr().trim().split('\n')).toHaveLength(1);
    expect(fs.readdirSync(dir)).toEqual([]);

    const file = path.join(tempDir(), 'data');
    fs.writeFileSync(file, 'not a folder');
    const blocked = await start({ FRONTLINE_DATA_DIR: file });
    expect(await blocked.exited).toBe(1);
    expect(blocked.stderr().trim()).toMatch(/^Cannot use the data folder .*data.*: a file is in the way/);
    expect(blocked.stderr().trim().split('\n')).toHaveLength(1);
  });
});

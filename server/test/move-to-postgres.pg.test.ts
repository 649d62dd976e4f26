import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, spawnApp, type AppProcess } from './app-process.js';
import { freshDatabaseUrl, seedText } from './harness.js';
import { tempFolders } from './temp-folders.js';

// `npm run move-to-postgres`: an embedded desk made through the API, stopped, moved to a fresh
// PostgreSQL database, and an app started there answers the same. Only in the PostgreSQL pass.

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const ADMIN = { email: 'owner@example.com', password: 'embedded owner password' };
const AGENT = { email: 'agent@example.com', password: 'agent password 123' };
const ARABIC = seedText('000');
const PERSIAN = seedText('001');
const RUSSIAN = seedText('004');
const lines = (text: string) => text.split('\n').map((l) => l.trim()).filter((l) => l.length > 20);
const folders = tempFolders('move');
const dataDir = folders.make();
const running: AppProcess[] = [];

/** Runs the command as an operator would, with only the data folder set. */
function move(url: string, dir = dataDir): Promise<{ code: number | null; out: string; err: string }> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('FRONTLINE_') && k !== 'DATABASE_URL'));
  const child = spawn('npm', ['run', '--silent', 'move-to-postgres', '--', url], { cwd: root, env: { ...env, FRONTLINE_DATA_DIR: dir }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, out, err })));
}

async function start(env: Record<string, string>) {
  const p = await spawnApp({ FRONTLINE_DATA_DIR: dataDir, FRONTLINE_JOBS: 'off', LOG_LEVEL: 'warn', ...env });
  running.push(p);
  await p.waitHealthy();
  return p;
}

async function tablesIn(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const res = await client.query(`select table_schema || '.' || table_name as name from information_schema.tables where table_schema in ('public', 'drizzle') order by 1`);
    return res.rows.map((r) => r.name as string);
  } finally {
    await client.end();
  }
}

async function signIn(p: AppProcess, who: { email: string; password: string }) {
  const res = await call(p.url, 'POST', '/api/v1/auth/login', who);
  expect(res.status).toBe(200);
  return res.body.token as string;
}

type Snapshot = Awaited<ReturnType<typeof snapshot>>;

/** Everything a reader sees of the desk, asked through the API. */
async function snapshot(p: AppProcess, token: string, attachmentId: string) {
  const get = async (url: string) => {
    const res = await call(p.url, 'GET', url, undefined, token);
    expect(res.status, url).toBe(200);
    return res.body;
  };
  const list = (await get('/api/v1/tickets?limit=200&sort=number')).data as { id: string; number: number }[];
  const details = [];
  const timelines = [];
  for (const t of list) {
    details.push(await get(`/api/v1/tickets/${t.id}`));
    timelines.push(await get(`/api/v1/tickets/${t.id}/timeline`));
  }
  const search = async (q: string) => ((await get(`/api/v1/tickets?q=${encodeURIComponent(q)}&sort=number`)).data as { number: number }[]).map((t) => t.number);
  const download = await fetch(`${p.url}/api/v1/attachments/${attachmentId}`, { headers: { authorization: `Bearer ${token}` } });
  expect(download.status).toBe(200);
  return {
    list,
    details,
    timelines,
    customers: (await get('/api/v1/customers?limit=200')).data,
    staff: (await get('/api/v1/staff?limit=200')).data,
    arabic: await search('نصائح'),
    russian: await search('техподдержки'),
    // Stemmed differently by PostgreSQL 15 and 18 ("adding" is "ad" or "add"): found only if the
    // search documents are the server's own.
    english: await search('added'),
    attachment: Buffer.from(await download.arrayBuffer()),
  };
}

let source: Snapshot;
let adminToken: string;
let apiToken: string;
let attachmentId: string;
const attachment = Buffer.from(`report\n${RUSSIAN.slice(0, 200)}\n`, 'utf8');

beforeAll(async () => {
  const p = await start({ FRONTLINE_ADMIN_EMAIL: ADMIN.email, FRONTLINE_ADMIN_PASSWORD: ADMIN.password });
  adminToken = await signIn(p, ADMIN);
  const post = async (url: string, body: unknown, status = 201) => {
    const res = await call(p.url, 'POST', url, body, adminToken);
    expect(res.status, `${url}: ${JSON.stringify(res.body)}`).toBe(status);
    return res.body;
  };
  apiToken = (await post('/api/v1/auth/tokens', { name: 'reporting script' })).token;
  const team = await post('/api/v1/teams', { name: 'Первая линия' });
  await post('/api/v1/staff', { ...AGENT, name: 'وكيل الدعم', role: 'agent', teamIds: [team.id] });

  const ar = lines(ARABIC);
  const fa = lines(PERSIAN);
  const ru = lines(RUSSIAN);
  const people = [
    { email: 'layla@example.com', name: 'ليلى حسن', language: 'ar', subject: ar[0], body: ar[1], reply: ar[2], note: ar[3] },
    { email: 'sara@example.com', name: 'سارا احمدی', language: 'fa', subject: fa[3], body: fa[4], reply: fa[5], note: fa[6] },
    { email: 'olga@example.com', name: 'Ольга Смирнова', language: 'ru', subject: ru[2], body: ru[4], reply: ru[5], note: ru[6] },
    { email: 'sam@example.com', name: 'Sam Porter', language: 'en', subject: 'Invoice shows the wrong VAT number', body: 'Our March invoice lists last year’s VAT number; please reissue it.', reply: 'We are adding the corrected VAT number and reissuing the invoice.', note: 'Billing fixed the template.' },
  ];
  for (const [i, c] of people.entries()) {
    await post('/api/v1/customers', { name: c.name, emails: [c.email], language: c.language });
    const { ticket } = { ticket: await post('/api/v1/tickets', { subject: c.subject.slice(0, 200), channel: 'email', requester: { email: c.email, name: c.name }, body: c.body, teamId: team.id, tags: [`lang-${c.language}`] }) };
    const withFile = i === 2 ? { attachments: [{ filename: 'отчёт.txt', contentType: 'text/plain', contentBase64: attachment.toString('base64') }] } : {};
    const reply = await post(`/api/v1/tickets/${ticket.id}/messages`, { body: c.reply, ...withFile });
    if (i === 2) attachmentId = reply.message.attachments[0].id;
    await post(`/api/v1/tickets/${ticket.id}/messages`, { body: c.note, internal: true });
    const patched = await call(p.url, 'PATCH', `/api/v1/tickets/${ticket.id}`, { priority: 'high', status: i % 2 ? 'pending' : 'solved' }, adminToken);
    expect(patched.status).toBe(200);
  }
  source = await snapshot(p, apiToken, attachmentId);
  expect(source.list).toHaveLength(4);
  expect(source.arabic.length).toBeGreaterThan(0);
  expect(source.russian.length).toBeGreaterThan(0);
  expect(source.english.length).toBeGreaterThan(0);
  expect(source.timelines.every((t) => t.data.length >= 3)).toBe(true);
}, 300_000);

afterAll(async () => {
  for (const p of running.splice(0)) await p.stop('SIGKILL');
  folders.removeAll();
}, 60_000);

describe('npm run move-to-postgres', () => {
  let target: string;

  it('refuses while the desk runs, and leaves the target empty', async () => {
    target = (await freshDatabaseUrl())!;
    const res = await move(target);
    const stopped = await running.pop()!.stop();
    expect(stopped).toBe(0);
    expect(res.code).not.toBe(0);
    expect(res.err).toMatch(/in use by another Frontline process \(pid \d+\); stop it first/);
    expect(await tablesIn(target)).toEqual([]);
  }, 120_000);

  it('refuses a folder that holds no desk, without making one', async () => {
    const empty = folders.make();
    const res = await move(target, empty);
    expect(res.code).not.toBe(0);
    expect(res.err).toContain(`No embedded desk in ${empty}`);
    expect(fs.readdirSync(empty)).toEqual([]);
  }, 60_000);

  it('leaves the target as it was when the move fails halfway', async () => {
    const broken = (await freshDatabaseUrl())!;
    // Not a Frontline table, so the target counts as empty; the migrations then fail on it.
    const client = new pg.Client({ connectionString: broken });
    await client.connect();
    await client.query(`create type ticket_status as enum ('other')`);
    await client.end();
    const res = await move(broken);
    expect(res.code).not.toBe(0);
    expect(res.err).toMatch(/Nothing was written to the target/);
    expect(await tablesIn(broken)).toEqual([]);
  }, 120_000);

  it('moves the stopped desk: same tickets, timeline, search, attachment, sign-ins and token; next ticket number follows', async () => {
    const res = await move(target);
    expect(res.err).toBe('');
    expect(res.code).toBe(0);
    expect(res.out).toMatch(/tickets\s+4 rows/);
    expect(res.out).toMatch(/messages\s+12 rows/);
    expect(res.out).toMatch(/Moved \d+ rows in \d+ tables/);
    expect(res.out).toContain(path.join(dataDir, 'attachments'));

    const p = await start({ DATABASE_URL: target });
    expect(p.stdout()).not.toContain('First admin account created');
    // The old API token, made on the embedded desk, still works; so do both passwords.
    const moved = await snapshot(p, apiToken, attachmentId);
    expect(moved.list).toEqual(source.list);
    expect(moved.details).toEqual(source.details);
    expect(moved.timelines).toEqual(source.timelines);
    expect(moved.customers).toEqual(source.customers);
    expect(moved.staff).toEqual(source.staff);
    expect(moved.arabic).toEqual(source.arabic);
    expect(moved.russian).toEqual(source.russian);
    expect(moved.english).toEqual(source.english);
    expect(moved.attachment.equals(attachment)).toBe(true);
    await signIn(p, ADMIN);
    const agentToken = await signIn(p, AGENT);
    expect((await call(p.url, 'GET', '/api/v1/auth/me', undefined, agentToken)).body.email).toBe(AGENT.email);

    const next = await call(p.url, 'POST', '/api/v1/tickets', { subject: 'After the move', channel: 'email', requester: { email: 'sam@example.com', name: 'Sam Porter' }, body: 'Still here?' }, apiToken);
    expect(next.status, JSON.stringify(next.body)).toBe(201);
    expect(next.body.number).toBe(Math.max(...source.list.map((t) => t.number)) + 1);
    const reply = await call(p.url, 'POST', `/api/v1/tickets/${next.body.id}/messages`, { body: 'Yes.' }, apiToken);
    expect(reply.status).toBe(201);
    const timeline = await call(p.url, 'GET', `/api/v1/tickets/${next.body.id}/timeline`, undefined, apiToken);
    expect(timeline.status).toBe(200);
  }, 300_000);

  it('refuses a target that already holds a desk, and leaves it untouched', async () => {
    await running.pop()?.stop();
    const before = await tablesIn(target);
    const res = await move(target);
    expect(res.code).not.toBe(0);
    expect(res.err).toMatch(/already holds \d+ Frontline tables \(.*\): a move never writes over a desk/);
    expect(await tablesIn(target)).toEqual(before);
    const p = await start({ DATABASE_URL: target });
    const after = await call(p.url, 'GET', '/api/v1/tickets?limit=200', undefined, apiToken);
    expect(after.body.data).toHaveLength(5);
  }, 180_000);
});

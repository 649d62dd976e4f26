import fs from 'node:fs';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabaseUrl, testConfig } from '../../../test/harness.js';
import { openDatabase } from '../../db/client.js';
import { users } from '../../modules/users/users.table.js';
import { createServer, type Server } from '../../server.js';
import { hashPassword } from './secrets.js';

/** Everything the app logs, at the most talkative level, kept in memory. */
const lines: string[] = [];
const capture = new Writable({
  write(chunk, _enc, done) {
    lines.push(String(chunk));
    done();
  },
});

let server: Server;
const email = 'logger-check@desk.test';
const password = 'Tr0ub4dor&3-horse-staple';

beforeAll(async () => {
  const databaseUrl = await freshDatabaseUrl();
  const config = testConfig({ LOG_LEVEL: 'trace' }, databaseUrl);
  const database = await openDatabase({ databaseUrl, dataDir: config.dataDir, inMemory: !databaseUrl, poolSize: 4 });
  server = await createServer(config, { database, startJobs: false, logStream: capture });
  await server.ctx.db.insert(users).values({ email, name: 'Log Check', role: 'admin', passwordHash: await hashPassword(password) });
});
afterAll(async () => {
  await server?.close();
  if (server) fs.rmSync(server.ctx.config.dataDir, { recursive: true, force: true });
});

const inject = (method: 'GET' | 'POST', url: string, payload?: object, headers: Record<string, string> = {}) =>
  server.app.inject({ method, url, payload, headers });

describe('secrets never reach the log', () => {
  it('logs requests without passwords, session, CSRF or API tokens', async () => {
    const wrong = await inject('POST', '/api/v1/auth/login', { email, password: 'my-other-Passw0rd!' });
    expect(wrong.statusCode).toBe(401);
    const login = await inject('POST', '/api/v1/auth/login', { email, password });
    expect(login.statusCode).toBe(200);
    const { token, csrfToken } = login.json();
    expect((await inject('GET', '/api/v1/auth/me', undefined, { authorization: `Bearer ${token}` })).statusCode).toBe(200);
    const made = await inject('POST', '/api/v1/auth/tokens', { name: 'cron' }, { cookie: `frontline_session=${token}`, 'x-csrf-token': csrfToken });
    expect(made.statusCode).toBe(201);
    const apiToken = made.json().token;
    expect((await inject('GET', '/api/v1/staff', undefined, { authorization: `Bearer ${apiToken}` })).statusCode).toBe(200);
    expect((await inject('POST', '/api/v1/auth/logout', undefined, { authorization: `Bearer ${token}` })).statusCode).toBe(204);

    const log = lines.join('');
    // The capture works: requests are in it, at the level the test asked for.
    expect(log).toContain('/api/v1/auth/login');
    expect(log).toContain('/api/v1/staff');
    expect(lines.length).toBeGreaterThan(10);
    for (const secret of [password, 'my-other-Passw0rd!', token, csrfToken, apiToken]) {
      expect(log).not.toContain(secret);
      expect(log).not.toContain(secret.slice(4, 24)); // nor a recognisable piece of it
    }
  });
});

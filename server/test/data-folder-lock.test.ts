import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { call, spawnApp, type AppProcess } from './app-process.js';
import { tempFolders } from './temp-folders.js';

// The embedded database belongs to one process: a second one on the same folder would silently
// lose one side's writes, so it must refuse to start. Always PGlite (spawnApp passes no DATABASE_URL).
const folders = tempFolders('lock');
afterAll(() => folders.removeAll());
const started: AppProcess[] = [];
afterEach(async () => {
  for (const p of started.splice(0)) await p.stop('SIGKILL');
});
async function start(env: Record<string, string>) {
  const p = await spawnApp(env);
  started.push(p);
  return p;
}

describe('one process per data folder', () => {
  it('a second process on the same folder stops at once naming the first; a killed owner does not block a restart', { timeout: 600_000 }, async () => {
    const dataDir = folders.make();
    const env = { FRONTLINE_DATA_DIR: dataDir, FRONTLINE_ADMIN_EMAIL: 'lock@example.com', FRONTLINE_ADMIN_PASSWORD: 'lock test password' };
    const first = await start(env);
    await first.waitHealthy();

    const second = await start(env);
    expect(await second.exited).toBe(1);
    const said = second.stderr().trim();
    expect(said.split('\n')).toHaveLength(1);
    expect(said).toContain(path.resolve(dataDir));
    expect(said).toContain(`pid ${first.child.pid}`);
    expect(second.stdout()).not.toContain('Frontline is running');
    // The first one is untouched.
    expect((await call(first.url, 'POST', '/api/v1/auth/login', { email: 'lock@example.com', password: 'lock test password' })).status).toBe(200);

    // Killed without a chance to clean up: its lock is stale and the next start takes the folder over.
    expect(await first.stop('SIGKILL')).toBe('SIGKILL');
    const third = await start(env);
    await third.waitHealthy();
    expect((await call(third.url, 'POST', '/api/v1/auth/login', { email: 'lock@example.com', password: 'lock test password' })).status).toBe(200);
    // A clean stop leaves no lock behind.
    expect(await third.stop('SIGTERM')).toBe(0);
    expect(fs.readdirSync(dataDir)).not.toContain('pglite.lock');
  });
});

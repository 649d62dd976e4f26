import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnApp } from './app-process.js';
import { freshDatabaseUrl } from './harness.js';

// `npm start` as an operator runs it: a SIGTERM to npm (a service manager, a terminal's Ctrl-C)
// must reach the server's drain, not leave the server running on its own.
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'frontline-npm-start-'));
let serverPid = 0;
afterAll(() => {
  if (serverPid && alive(serverPid)) process.kill(serverPid, 'SIGKILL');
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function alive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('npm start', () => {
  it('passes SIGTERM to the server, which drains and exits 0', { timeout: 300_000 }, async () => {
    const databaseUrl = await freshDatabaseUrl();
    const p = await spawnApp({ FRONTLINE_DATA_DIR: dataDir, ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) }, { npmStart: true });
    await p.waitHealthy();
    serverPid = Number((await p.waitForOutput(/"pid":(\d+)[^\n]*Server listening/))[1]);
    expect(serverPid).not.toBe(p.child.pid);

    p.child.kill('SIGTERM');
    expect(await p.exited).toBe(0);
    expect(p.stdout()).toMatch(/"signal":"SIGTERM"[^\n]*draining requests/);
    expect(alive(serverPid)).toBe(false);
  });
});

// Browser tests: Debian's Chromium drives the built agent app on a real server with the demo desk.
// Run by `npm test` after the server suites, or alone: `node scripts/test-web.mjs [playwright args]`.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensurePackage } from './debian.mjs';
import { freePort } from './net.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CHROMIUM = '/usr/bin/chromium';

async function startServer(port, dataDir) {
  // Embedded database in a fresh folder, whatever the caller's environment points at.
  const env = { ...process.env, PORT: String(port), HOST: '127.0.0.1', FRONTLINE_DATA_DIR: dataDir, FRONTLINE_DEMO: '1', LOG_LEVEL: 'warn' };
  delete env.DATABASE_URL;
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: false,
  });
  let output = '';
  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start within 900 s:\n${output.slice(-3000)}`)), 900_000);
    const onData = (d) => {
      output += d.toString();
      if (output.includes('Frontline is running')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (d) => (output += d.toString()));
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${output.slice(-3000)}`));
    });
  });
  await ready;
  // The first admin's one-time password, for the scenario that must change it.
  const adminPassword = output.match(/password:\s+(\S+)\s+\(shown once/)?.[1] ?? '';
  return { child, adminPassword };
}

try {
  ensurePackage(CHROMIUM, 'chromium', { recommends: true });
} catch (err) {
  console.error(`[test:web] ${err.message}`);
  process.exit(1);
}
const built = spawnSync(process.execPath, ['scripts/build-web.mjs', '--check'], { cwd: root, stdio: 'inherit' });
if (built.status !== 0) {
  console.error('[test:web] the agent app did not build within its JavaScript budget');
  process.exit(1);
}

const port = await freePort();
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'frontline-web-'));
const started = Date.now();
let server;
let status = 1;
try {
  console.log(`[test:web] starting the server with the demo desk on port ${port}…`);
  const { child, adminPassword } = await startServer(port, dataDir);
  server = child;
  console.log(`[test:web] server ready in ${((Date.now() - started) / 1000).toFixed(1)} s; running Playwright`);
  const res = spawnSync('npx', ['playwright', 'test', '-c', 'web/playwright.config.ts', ...process.argv.slice(2)], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, FRONTLINE_E2E_URL: `http://127.0.0.1:${port}`, FRONTLINE_E2E_ADMIN_PASSWORD: adminPassword },
  });
  status = res.status ?? 1;
} catch (err) {
  console.error(`[test:web] ${err.message}`);
} finally {
  server?.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 500));
  rmSync(dataDir, { recursive: true, force: true });
}
process.exit(status);

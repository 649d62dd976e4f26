// Starts a throwaway PostgreSQL server from Debian's packages for tests and benchmarks.
// Installs the package when missing and running as root; otherwise says what to install.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './net.mjs';

function findBinDir() {
  const root = '/usr/lib/postgresql';
  if (!fs.existsSync(root)) return null;
  const versions = fs.readdirSync(root).filter((v) => fs.existsSync(path.join(root, v, 'bin', 'pg_ctl'))).sort((a, b) => Number(b) - Number(a));
  return versions.length ? path.join(root, versions[0], 'bin') : null;
}

export function ensurePostgresInstalled() {
  let bin = findBinDir();
  if (bin) return bin;
  if (process.getuid?.() !== 0) {
    throw new Error('PostgreSQL server not found. Install it with: sudo apt-get install -y postgresql (the tests need a real server).');
  }
  console.log('[test] installing PostgreSQL from Debian packages…');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-q'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-q', '--no-install-recommends', 'postgresql'], { stdio: 'inherit', env });
  bin = findBinDir();
  if (!bin) throw new Error('apt-get installed postgresql but no pg_ctl was found under /usr/lib/postgresql');
  return bin;
}

/**
 * Returns { url, stop }. The cluster lives in a temp folder and is removed on stop.
 * Tests trade durability for speed (fsync off); `{ durable: true }` keeps PostgreSQL's defaults, for benchmarks.
 */
export async function startPostgres({ durable = false } = {}) {
  const bin = ensurePostgresInstalled();
  const root = process.getuid?.() === 0;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'frontline-pg-'));
  fs.chmodSync(dir, 0o777);
  const dataDir = path.join(dir, 'data');
  const logFile = path.join(dir, 'server.log');
  fs.writeFileSync(logFile, '');
  fs.chmodSync(logFile, 0o666);
  // PostgreSQL refuses to run as root, so as root the server runs as the postgres user.
  const run = (cmd, args) => {
    const full = path.join(bin, cmd);
    const res = root
      ? spawnSync('runuser', ['-u', 'postgres', '--', full, ...args], { encoding: 'utf8' })
      : spawnSync(full, args, { encoding: 'utf8' });
    if (res.status !== 0) throw new Error(`${cmd} failed: ${res.stderr || res.stdout}`);
  };
  const port = await freePort();
  run('initdb', ['-D', dataDir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
  const fast = durable ? '' : ' -c fsync=off -c synchronous_commit=off -c full_page_writes=off';
  const opts = `-p ${port} -k ${dir} -h 127.0.0.1${fast} -c max_connections=200`;
  run('pg_ctl', ['-D', dataDir, '-l', logFile, '-o', opts, '-w', '-t', '60', 'start']);
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  let stopped = false;
  return {
    url,
    port,
    logFile,
    stop() {
      if (stopped) return;
      stopped = true;
      try {
        run('pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop']);
      } catch {
        /* already gone */
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

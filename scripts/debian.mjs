// Finds a program the tests need from Debian; installs its package when missing and running as root,
// otherwise says which package to install.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

function find(bin) {
  if (bin.startsWith('/')) return fs.existsSync(bin) ? bin : null;
  for (const dir of ['/usr/bin', '/usr/sbin', '/bin', '/sbin', '/usr/local/bin']) {
    const p = `${dir}/${bin}`;
    if (fs.existsSync(p)) return p;
  }
  return null;
}

/** Path of `bin`, installing Debian package `pkg` first if needed (with its recommends when asked: fonts, for a browser). */
export function ensurePackage(bin, pkg, { recommends = false } = {}) {
  const found = find(bin);
  if (found) return found;
  if (process.getuid?.() !== 0) {
    throw new Error(`${bin} not found. Install it with: sudo apt-get install -y ${pkg} (the tests need a real one).`);
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  try {
    execFileSync('apt-get', ['install', '-y', '-q', ...(recommends ? [] : ['--no-install-recommends']), pkg], { stdio: 'inherit', env });
  } catch {
    execFileSync('apt-get', ['update', '-q'], { stdio: 'inherit', env });
    execFileSync('apt-get', ['install', '-y', '-q', ...(recommends ? [] : ['--no-install-recommends']), pkg], { stdio: 'inherit', env });
  }
  const installed = find(bin);
  if (!installed) throw new Error(`apt-get installed ${pkg} but ${bin} was not found`);
  return installed;
}

import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ensurePackage } from '../../../../scripts/debian.mjs';
import { freePort } from '../../../../scripts/net.mjs';

export { freePort };

async function waitForPort(port: number, child: ChildProcess, log: string) {
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`dovecot exited: ${fs.existsSync(log) ? fs.readFileSync(log, 'utf8') : ''}`);
    const ok = await new Promise<boolean>((resolve) => {
      const c = net.connect(port, '127.0.0.1', () => {
        c.end();
        resolve(true);
      });
      c.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('dovecot did not start listening');
}

/**
 * A throwaway Dovecot IMAP server (Debian dovecot-imapd) with one user and a Maildir, on a free
 * loopback port. Mail is "delivered" by writing files into Maildir/new, as a local MDA would.
 */
export async function startDovecot() {
  ensurePackage('/usr/lib/dovecot/imap', 'dovecot-imapd');
  const dovecot = ensurePackage('dovecot', 'dovecot-imapd');
  const root = process.getuid?.() === 0;
  const mailUid = root ? 65534 : process.getuid!();
  const mailGid = root ? 65534 : process.getgid!();
  const me = os.userInfo().username;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'frontline-dovecot-'));
  fs.chmodSync(dir, 0o755);
  const user = 'desk';
  const password = crypto.randomBytes(9).toString('hex');
  const home = path.join(dir, 'home', user);
  const maildir = path.join(home, 'Maildir');
  for (const sub of ['cur', 'new', 'tmp']) fs.mkdirSync(path.join(maildir, sub), { recursive: true });
  for (const p of [path.join(dir, 'home'), home, maildir, ...['cur', 'new', 'tmp'].map((s) => path.join(maildir, s))]) fs.chownSync(p, mailUid, mailGid);
  fs.writeFileSync(path.join(dir, 'passwd'), `${user}:{PLAIN}${password}:${mailUid}:${mailGid}::${home}\n`);
  const port = await freePort();
  const log = path.join(dir, 'dovecot.log');
  const conf = path.join(dir, 'dovecot.conf');
  fs.writeFileSync(
    conf,
    [
      `base_dir = ${dir}/run`,
      `state_dir = ${dir}/state`,
      `log_path = ${log}`,
      'protocols = imap',
      'listen = 127.0.0.1',
      'ssl = no',
      'disable_plaintext_auth = no',
      'auth_mechanisms = plain login',
      `first_valid_uid = ${Math.min(mailUid, 1)}`,
      ...(root ? [] : [`default_login_user = ${me}`, `default_internal_user = ${me}`]),
      `passdb {\n  driver = passwd-file\n  args = scheme=PLAIN ${dir}/passwd\n}`,
      `userdb {\n  driver = static\n  args = uid=${mailUid} gid=${mailGid} home=${dir}/home/%u\n}`,
      'mail_location = maildir:~/Maildir',
      `service imap-login {\n  inet_listener imap {\n    address = 127.0.0.1\n    port = ${port}\n  }\n  inet_listener imaps {\n    port = 0\n  }\n}`,
      'service stats {\n  unix_listener stats-reader {\n    mode = 0666\n  }\n  unix_listener stats-writer {\n    mode = 0666\n  }\n}',
      '',
    ].join('\n'),
  );
  let child = spawn(dovecot, ['-F', '-c', conf], { stdio: 'ignore' });
  await waitForPort(port, child, log);
  const halt = async () => {
    child.kill('SIGTERM');
    await new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));
  };
  let n = 0;
  return {
    port,
    user,
    password,
    /** A mailbox's `imap` settings for this server (`password` to try a wrong one). */
    imap(pass = password) {
      return { host: '127.0.0.1', port, secure: false, user, password: pass, folder: 'INBOX' };
    },
    /** `seen`: as if someone had already read it in their mail client. */
    deliver(raw: Buffer | string, opts: { seen?: boolean } = {}) {
      const name = `${Date.now()}.M${++n}P${process.pid}.frontline`;
      const tmp = path.join(maildir, 'tmp', name);
      fs.writeFileSync(tmp, raw);
      fs.chownSync(tmp, mailUid, mailGid);
      fs.renameSync(tmp, opts.seen ? path.join(maildir, 'cur', `${name}:2,S`) : path.join(maildir, 'new', name));
    },
    /** Files whose Maildir flags include S (\Seen). */
    seenCount() {
      return fs.readdirSync(path.join(maildir, 'cur')).filter((f) => /:2,[A-Z]*S/.test(f)).length;
    },
    /** Files whose Maildir flags include F (\\Flagged). */
    flaggedCount() {
      return fs.readdirSync(path.join(maildir, 'cur')).filter((f) => /:2,[A-Z]*F/.test(f)).length;
    },
    /** Bytes the server sent to clients, summed over the sessions that ended (Dovecot's logout line `out=`). */
    sentBytes() {
      const text = fs.existsSync(log) ? fs.readFileSync(log, 'utf8') : '';
      return [...text.matchAll(/Logged out in=\d+ out=(\d+)/g)].reduce((sum, m) => sum + Number(m[1]), 0);
    },
    /** Stops the server, keeping its mail, as an admin or a crash would. */
    halt,
    /** Starts it again on the same port with the same mail. */
    async start() {
      child = spawn(dovecot, ['-F', '-c', conf], { stdio: 'ignore' });
      await waitForPort(port, child, log);
    },
    /** Unread files still in Maildir/new or without the S flag in cur. */
    unseenCount() {
      const fresh = fs.readdirSync(path.join(maildir, 'new')).length;
      return fresh + fs.readdirSync(path.join(maildir, 'cur')).filter((f) => !/:2,[A-Z]*S/.test(f)).length;
    },
    /** Client connections open to the server right now (established TCP, from /proc/net/tcp). */
    sessions() {
      const hexPort = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
      const rows = fs.readFileSync('/proc/net/tcp', 'utf8').split('\n').slice(1);
      return rows.filter((r) => {
        const [, local, , state] = r.trim().split(/\s+/);
        return local?.endsWith(hexPort) && state === '01';
      }).length;
    },
    async stop() {
      await halt();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

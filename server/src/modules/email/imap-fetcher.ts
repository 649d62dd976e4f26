import { eq } from 'drizzle-orm';
import { ImapFlow } from 'imapflow';
import type { AppContext } from '../../platform/context.js';
import { mailboxes } from './email.table.js';
import { fetchHeld } from './held-mail.js';
import { storeInbound } from './inbound-store.js';
import { HEADERS_KEPT_BYTES, recordTooLarge } from './too-large.js';
import type { MailboxRow } from './mailboxes.service.js';

const POLL_MS = 60_000;

function clientFor(mailbox: MailboxRow) {
  const s = mailbox.imap!;
  // IDLE soon after each pass, so new mail is noticed in about a second rather than fifteen.
  return new ImapFlow({ host: s.host, port: s.port, secure: s.secure, auth: { user: s.user, pass: s.password }, logger: false, autoIdleDelay: 1000, tls: { rejectUnauthorized: s.secure } });
}

/**
 * One pass over new mail: each message is stored, and only then flagged \Seen on the server (the
 * IMAP "acknowledgement"). A crash between the two re-fetches it; the raw-bytes hash and the
 * Message-ID make the second copy a no-op. New means unseen, or above the highest UID stored: a
 * person who reads the shared mailbox first (in webmail, while the desk is down) does not hide
 * the message from the desk. Mail already read when the desk first looks is left alone.
 */
async function fetchUnseen(ctx: AppContext, client: ImapFlow, mailbox: MailboxRow): Promise<number> {
  const lock = await client.getMailboxLock(mailbox.imap!.folder);
  let stored = 0;
  try {
    const box = client.mailbox || null;
    const validity = box ? Number(box.uidValidity) : null;
    const [mark] = await ctx.db.select({ validity: mailboxes.imapUidValidity, lastUid: mailboxes.imapLastUid }).from(mailboxes).where(eq(mailboxes.id, mailbox.id));
    const known = mark?.validity === validity && mark?.lastUid != null ? mark.lastUid : null;
    let last = known ?? (box?.uidNext ? box.uidNext - 1 : ((await client.search({ all: true }, { uid: true })) || []).reduce((a, b) => Math.max(a, b), 0));
    const unseen = (await client.search({ seen: false }, { uid: true })) || [];
    // "N:*" also names the newest message when none is above N: hence the filter.
    const above = known === null ? [] : ((await client.search({ uid: `${known + 1}:*` }, { uid: true })) || []).filter((u) => u > known);
    const uids = [...new Set([...unseen, ...above])].sort((a, b) => a - b);
    const limit = ctx.config.maxMessageBytes;
    // Sizes first (RFC822.SIZE), so a message over the limit is never downloaded.
    const sizes = new Map<number, number>();
    if (uids.length) for (const m of await client.fetchAll(uidSet(uids), { size: true }, { uid: true })) if (m.uid && m.size !== undefined) sizes.set(m.uid, m.size);
    for (const uid of uids) {
      const size = sizes.get(uid);
      if (size !== undefined && size > limit) {
        const head = await client.fetchOne(String(uid), { bodyParts: [{ key: 'header', maxLength: HEADERS_KEPT_BYTES }] }, { uid: true });
        await keepHeadersOnly(ctx, client, mailbox, uid, head ? (head.headers ?? Buffer.alloc(0)) : Buffer.alloc(0), size);
      } else {
        const msg = await client.fetchOne(String(uid), { source: true }, { uid: true });
        // The stated size can be wrong; the bytes are what counts.
        if (msg && msg.source && msg.source.length > limit) {
          await keepHeadersOnly(ctx, client, mailbox, uid, headerOf(msg.source), msg.source.length);
        } else if (msg && msg.source) {
          await storeInbound(ctx, { raw: msg.source, source: 'imap', mailboxId: mailbox.id, envelopeTo: [mailbox.address] });
          await client.messageFlagsAdd(String(uid), ['\\Seen'], { uid: true });
          stored++;
        }
      }
      last = Math.max(last, uid);
    }
    if (validity !== null && (known === null || last > known)) {
      await ctx.db.update(mailboxes).set({ imapUidValidity: validity, imapLastUid: last }).where(eq(mailboxes.id, mailbox.id));
    }
    // Mail held back as too large that a raised limit now lets in.
    stored += await fetchHeld(ctx, client, mailbox);
  } finally {
    lock.release();
  }
  return stored;
}

/** Sorted UIDs as an IMAP set with runs folded (`1:40,42`): a first look at a full mailbox stays one short command. */
function uidSet(uids: number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < uids.length; i++) {
    const start = uids[i];
    while (i + 1 < uids.length && uids[i + 1] === uids[i] + 1) i++;
    parts.push(start === uids[i] ? String(start) : `${start}:${uids[i]}`);
  }
  return parts.join(',');
}

/** The header block of raw bytes (up to the first empty line), at most HEADERS_KEPT_BYTES of it. */
function headerOf(raw: Buffer): Buffer {
  const head = raw.subarray(0, HEADERS_KEPT_BYTES);
  const end = head.indexOf('\r\n\r\n');
  const lf = head.indexOf('\n\n');
  const cut = end >= 0 && (lf < 0 || end < lf) ? end + 4 : lf >= 0 ? lf + 2 : head.length;
  return head.subarray(0, cut);
}

/**
 * A message over FRONTLINE_MAX_MESSAGE_MB stays on the server: its headers become a failed entry
 * (which says why), and it is flagged \Seen like any message taken, plus \Flagged so a person
 * looking at the mailbox sees the one that needs them. Once the limit allows it, fetchHeld takes it.
 */
async function keepHeadersOnly(ctx: AppContext, client: ImapFlow, mailbox: MailboxRow, uid: number, headers: Buffer, size: number) {
  await recordTooLarge(ctx, { headers, size, source: 'imap', mailboxId: mailbox.id, envelopeTo: [mailbox.address] });
  await client.messageFlagsAdd(String(uid), ['\\Seen', '\\Flagged'], { uid: true });
  ctx.log.warn({ mailbox: mailbox.address, uid, size, limit: ctx.config.maxMessageBytes }, 'imap: message over the size limit left on the server');
}

/** Fetches once and disconnects: for tests, and for an admin's "check now". */
export async function fetchMailboxOnce(ctx: AppContext, mailbox: MailboxRow): Promise<number> {
  const client = clientFor(mailbox);
  await client.connect();
  try {
    return await fetchUnseen(ctx, client, mailbox);
  } finally {
    await client.logout().catch(() => undefined);
  }
}

/** Fetches only the mailbox's held mail that now fits, and disconnects: a retry's job, run on any node. */
export async function fetchHeldOnce(ctx: AppContext, mailboxId: string): Promise<number> {
  const [mailbox] = await ctx.db.select().from(mailboxes).where(eq(mailboxes.id, mailboxId));
  // Changed since the retry was queued: nothing left to fetch from.
  if (!mailbox || mailbox.inboundMethod !== 'imap' || !mailbox.imap) return 0;
  const client = clientFor(mailbox);
  await client.connect();
  try {
    const lock = await client.getMailboxLock(mailbox.imap.folder);
    try {
      return await fetchHeld(ctx, client, mailbox);
    } finally {
      lock.release();
    }
  } finally {
    await client.logout().catch(() => undefined);
  }
}

/** The server's words for a failure (never our settings, so never the password), short enough to show. */
function reasonOf(err: unknown): string {
  const e = err as { responseText?: string; message?: string };
  return (e?.responseText || e?.message || String(err)).slice(0, 500);
}

/** Stays connected: IDLE tells us of new mail where the server offers it, a slow poll covers the rest. */
function watch(ctx: AppContext, mailbox: MailboxRow) {
  let stopped = false;
  let client: ImapFlow | undefined;
  // The one connection this watcher owns, connected or still connecting.
  let live: ImapFlow | undefined;
  let pollTimer: NodeJS.Timeout | undefined;
  let retryTimer: NodeJS.Timeout | undefined;
  let passing: Promise<void> = Promise.resolve();
  let failures = 0;
  let shown: string | null | undefined;

  // Kept on the mailbox so an admin sees a wrong password or an unreachable server, not only the log.
  const record = async (error: string | null) => {
    if (error === shown) return;
    shown = error;
    await ctx.db
      .update(mailboxes)
      .set({ imapError: error, imapErrorAt: error ? ctx.clock.now() : null })
      .where(eq(mailboxes.id, mailbox.id))
      .catch((err) => ctx.log.warn({ err, mailbox: mailbox.address }, 'imap: could not record the fetch status'));
  };

  const pass = () => {
    passing = passing.then(async () => {
      if (!client || stopped) return;
      try {
        await fetchUnseen(ctx, client, mailbox);
        await record(null);
      } catch (err) {
        ctx.log.warn({ err, mailbox: mailbox.address }, 'imap fetch failed');
        await record(reasonOf(err));
      }
    });
    return passing;
  };

  // A failed attempt both throws and emits 'close': only one next attempt may follow, or every
  // outage doubles the connections left open on the server.
  const retry = () => {
    if (stopped || retryTimer) return;
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      void connect();
    }, Math.min(60_000, 1000 * 2 ** Math.min(6, ++failures)));
  };

  const connect = async () => {
    if (stopped) return;
    const c = clientFor(mailbox);
    live = c;
    try {
      c.on('error', (err: Error) => ctx.log.warn({ err, mailbox: mailbox.address }, 'imap connection error'));
      c.on('close', () => {
        if (client === c) client = undefined;
        if (live === c) retry();
      });
      await c.connect();
      if (stopped) return;
      client = c;
      failures = 0;
      c.on('exists', () => void pass());
      await pass();
      // Holding the folder open lets imapflow IDLE on it between commands.
      await c.mailboxOpen(mailbox.imap!.folder);
      const poll = async () => {
        if (stopped || client !== c) return;
        await pass();
        pollTimer = setTimeout(poll, POLL_MS);
      };
      pollTimer = setTimeout(poll, POLL_MS);
    } catch (err) {
      ctx.log.warn({ err, mailbox: mailbox.address }, 'imap connect failed');
      if (!stopped) await record(reasonOf(err));
      if (client === c) client = undefined;
      c.close();
      retry();
    }
  };
  void connect();
  return async () => {
    stopped = true;
    clearTimeout(pollTimer);
    clearTimeout(retryTimer);
    await passing;
    await live?.logout().catch(() => undefined);
  };
}

const RELOAD_MS = 30_000;

/**
 * Watches every active IMAP mailbox, and re-reads the list now and then so a mailbox an admin adds
 * or changes through the API is picked up without a restart.
 */
export async function startImapFetchers(ctx: AppContext, opts: { reloadMs?: number } = {}) {
  const running = new Map<string, { signature: string; stop: () => Promise<void> }>();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const sync = async () => {
    const rows = (await ctx.db.select().from(mailboxes).where(eq(mailboxes.inboundMethod, 'imap'))).filter((m) => m.active && m.imap);
    const wanted = new Map(rows.map((m) => [m.id, { row: m, signature: JSON.stringify([m.address, m.imap]) }]));
    for (const [id, w] of running) {
      if (wanted.get(id)?.signature === w.signature) continue;
      running.delete(id);
      await w.stop();
    }
    for (const [id, w] of wanted) if (!running.has(id) && !stopped) running.set(id, { signature: w.signature, stop: watch(ctx, w.row) });
  };
  const tick = async () => {
    try {
      await sync();
    } catch (err) {
      ctx.log.warn({ err }, 'imap: could not read mailboxes');
    }
    if (!stopped) {
      timer = setTimeout(tick, opts.reloadMs ?? RELOAD_MS);
      timer.unref();
    }
  };
  await tick();
  return {
    close: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      await Promise.all([...running.values()].map((w) => w.stop()));
      running.clear();
    },
  };
}

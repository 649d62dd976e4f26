// `npm run bench:email`: email ingestion through the whole pipeline (store, parse worker, threading,
// database) against bare mailparser on the same corpus, and the longest event-loop stall of each.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { simpleParser } from 'mailparser';
import { sql } from 'drizzle-orm';
import { openDesk, type DbKind } from './desk.js';
import { storeInbound } from '../server/src/modules/email/inbound-store.js';
import { largeMessage } from '../server/src/modules/email/large-message.js';
import { parsePool } from '../server/src/modules/email/parse-pool.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixtures = path.join(here, '../test/fixtures/email');
const targets = { ratio: 0.5, stallMs: 100 } as const;
const copies = Number(process.env.BENCH_EMAIL_COPIES ?? 20);
const kinds = (process.env.BENCH_DB ?? 'pglite').split(',').map((k) => k.trim()) as DbKind[];
const log = (line: string) => console.log(`[bench:email] ${line}`);

/** The fixture corpus, each message given a fresh Message-ID per copy, plus one 25 MB message. */
function corpus(): Buffer[] {
  const files = fs.readdirSync(fixtures).filter((f) => f.endsWith('.eml') && f !== 'bounce.eml');
  const out: Buffer[] = [];
  for (let c = 0; c < copies; c++) {
    for (const f of files) {
      const raw = fs.readFileSync(path.join(fixtures, f)).toString('latin1');
      out.push(Buffer.from(raw.replace(/^Message-ID: <([^>]+)>/im, `Message-ID: <c${c}-$1>`), 'latin1'));
    }
  }
  out.push(largeMessage(25 * 1024 * 1024, '<bench-large@example.com>'));
  return out;
}

async function measure<T>(fn: () => Promise<T>) {
  const h = monitorEventLoopDelay({ resolution: 10 });
  h.enable();
  const t0 = performance.now();
  const result = await fn();
  const ms = performance.now() - t0;
  h.disable();
  return { ms, maxStallMs: h.max / 1e6, result };
}

const messages = corpus();
const bytes = messages.reduce((n, m) => n + m.length, 0);
log(`corpus: ${messages.length} messages, ${(bytes / 1024 / 1024).toFixed(1)} MB; load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores`);

// Baseline: mailparser alone, in the main thread, one message after another.
const bare = await measure(async () => {
  for (const m of messages) await simpleParser(m);
});
const bareRate = messages.length / (bare.ms / 1000);
log(`bare mailparser: ${bareRate.toFixed(1)} msg/s, longest stall ${bare.maxStallMs.toFixed(0)} ms`);

let failed = false;
for (const kind of kinds) {
  const desk = await openDesk(kind);
  try {
    const { ctx, runner } = desk.server;
    await parsePool.parse(Buffer.from('From: warm@up.test\r\n\r\nwarm')); // start the worker outside the clock
    let storedMs = 0;
    const run = await measure(async () => {
      const t0 = performance.now();
      for (const raw of messages) await storeInbound(ctx, { raw, source: 'http' });
      storedMs = performance.now() - t0;
      while ((await runner.runDue()) > 0);
    });
    const counts = await ctx.db.execute(sql`select status, count(*)::int as n from inbound_emails group by status`);
    const processed = (counts.rows as { status: string; n: number }[]).reduce((n, r) => n + (r.status === 'processed' ? r.n : 0), 0);
    const rate = messages.length / (run.ms / 1000);
    const ratio = rate / bareRate;
    const ok = ratio >= targets.ratio && run.maxStallMs <= targets.stallMs && processed === messages.length;
    failed ||= !ok;
    log(`${desk.label}: pipeline ${rate.toFixed(1)} msg/s (${processed}/${messages.length} processed), longest stall ${run.maxStallMs.toFixed(0)} ms`);
    log(`${desk.label}: storing ${(storedMs / 1000).toFixed(2)} s, processing ${((run.ms - storedMs) / 1000).toFixed(2)} s; bare parse ${(bare.ms / 1000).toFixed(2)} s`);
    log(`${desk.label}: ratio pipeline ÷ bare = ${ratio.toFixed(2)}× (target ≥ ${targets.ratio}); stall ${run.maxStallMs.toFixed(0)} ms (target ≤ ${targets.stallMs}) → ${ok ? 'PASS' : 'FAIL'}`);
  } finally {
    await desk.close();
  }
}
await parsePool.close();
process.exitCode = failed ? 1 : 0;

// Email ingestion with the job runner running while mail arrives, as `npm start` runs it (the
// runner started, woken by NOTIFY), against bare mailparser on the corpus of `npm run bench:email`.
// Not the measurement (bench/email.ts stores everything first, then drains the queue):
// a second view, to show what overlapping receipt and processing gives. `npx tsx bench/email-live.ts`.
import fs from 'node:fs';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { simpleParser } from 'mailparser';
import { sql } from 'drizzle-orm';
import { openDesk, type DbKind } from './desk.js';
import { storeInbound } from '../server/src/modules/email/inbound-store.js';
import { largeMessage } from '../server/src/modules/email/large-message.js';
import { parsePool } from '../server/src/modules/email/parse-pool.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '../test/fixtures/email');
const kinds = (process.env.BENCH_DB ?? 'pglite').split(',').map((k) => k.trim()) as DbKind[];
const files = fs.readdirSync(fixtures).filter((f) => f.endsWith('.eml') && f !== 'bounce.eml');
const messages: Buffer[] = [];
for (let c = 0; c < 20; c++)
  for (const f of files) messages.push(Buffer.from(fs.readFileSync(path.join(fixtures, f)).toString('latin1').replace(/^Message-ID: <([^>]+)>/im, `Message-ID: <c${c}-$1>`), 'latin1'));
messages.push(largeMessage(25 * 1024 * 1024, '<bench-large@example.com>'));

async function measure(fn: () => Promise<void>) {
  const h = monitorEventLoopDelay({ resolution: 10 });
  h.enable();
  const t0 = performance.now();
  await fn();
  const ms = performance.now() - t0;
  h.disable();
  return { ms, stall: h.max / 1e6 };
}

const bare = await measure(async () => {
  for (const m of messages) await simpleParser(m);
});
console.log(`bare mailparser ${((messages.length / bare.ms) * 1000).toFixed(1)} msg/s, stall ${bare.stall.toFixed(0)} ms`);
for (const kind of kinds) {
  const desk = await openDesk(kind);
  try {
    const { ctx, runner } = desk.server;
    await parsePool.parse(Buffer.from('From: warm@up.test\r\n\r\nwarm'));
    await runner.start();
    const processed = async () =>
      ((await ctx.db.execute(sql`select count(*)::int as n from inbound_emails where status = 'processed'`)).rows[0] as { n: number }).n;
    let storedMs = 0;
    const run = await measure(async () => {
      const t0 = performance.now();
      for (const raw of messages) await storeInbound(ctx, { raw, source: 'http' });
      storedMs = performance.now() - t0;
      while ((await processed()) < messages.length) await new Promise((r) => setTimeout(r, 20));
    });
    await runner.stop();
    const ratio = messages.length / run.ms / (messages.length / bare.ms);
    console.log(`${desk.label}: live runner ${((messages.length / run.ms) * 1000).toFixed(1)} msg/s (storing ${(storedMs / 1000).toFixed(2)} s of ${(run.ms / 1000).toFixed(2)} s), ratio ${ratio.toFixed(2)}×, stall ${run.stall.toFixed(0)} ms`);
  } finally {
    await desk.close();
  }
}
await parsePool.close();

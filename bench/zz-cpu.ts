import fs from 'node:fs';
import path from 'node:path';
import { performance as perf } from 'node:perf_hooks';
import { openDesk } from './desk.js';
import { storeInbound } from '../server/src/modules/email/inbound-store.js';
import { parsePool } from '../server/src/modules/email/parse-pool.js';
import { largeMessage } from '../server/src/modules/email/large-message.js';
const fixtures = '/work/main/test/fixtures/email';
const files = fs.readdirSync(fixtures).filter((f) => f.endsWith('.eml') && f !== 'bounce.eml');
const msgs: Buffer[] = [];
for (let c = 0; c < 20; c++) for (const f of files) msgs.push(Buffer.from(fs.readFileSync(path.join(fixtures, f)).toString('latin1').replace(/^Message-ID: <([^>]+)>/im, `Message-ID: <c${c}-$1>`), 'latin1'));
if (process.env.LARGE !== '0') msgs.push(largeMessage(25 * 1024 * 1024, '<bench-large@example.com>'));
const desk = await openDesk((process.env.BENCH_DB as 'postgres') ?? 'postgres');
const { ctx, runner } = desk.server;
await parsePool.parse(Buffer.from('From: warm@up.test\r\n\r\nwarm'));
const w = (parsePool as any).worker;
const pgPid = process.env.BENCH_DB === 'pglite' ? null : (await desk.raw.query('select 1')) && null;
const procStat = () => { const s = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number); return { busy: s.reduce((a, b) => a + b, 0) - s[3] - s[4], total: s.reduce((a, b) => a + b, 0) }; };
for (const phase of ['store', 'process']) {
  const m0 = perf.eventLoopUtilization(); const w0 = w.performance.eventLoopUtilization(); const c0 = process.cpuUsage(); const s0 = procStat(); const t0 = perf.now();
  if (phase === 'store') for (const raw of msgs) await storeInbound(ctx, { raw, source: 'http' });
  else while ((await runner.runDue()) > 0);
  const ms = perf.now() - t0; const m = perf.eventLoopUtilization(m0); const ww = w.performance.eventLoopUtilization(w0); const c = process.cpuUsage(c0); const s1 = procStat();
  const n = msgs.length;
  console.log(`${phase}: ${(ms / n).toFixed(2)} ms/msg wall; main active ${(m.active / n).toFixed(2)}, worker active ${(ww.active / n).toFixed(2)}, process cpu ${((c.user + c.system) / 1000 / n).toFixed(2)} (sys ${(c.system / 1000 / n).toFixed(2)}) ms/msg; machine busy ${(100 * (s1.busy - s0.busy) / (s1.total - s0.total)).toFixed(0)}% ≈ ${((s1.busy - s0.busy) * 10 / n).toFixed(2)} ms/msg`);
}
await desk.close();
await parsePool.close();

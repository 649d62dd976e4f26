// Where does an inbound message spend its time? Counts and times every statement the email pipeline
// sends (PostgreSQL only), machine and process CPU, garbage collections and event-loop gaps.
// `npx tsx bench/email-profile.ts`; BENCH_DB=pglite, LARGE=0 (no 25 MB message), PROF=1 (main-thread
// CPU profile, and what ran during the longest gap). Parse times overlap once mail is parsed ahead.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Session } from 'node:inspector/promises';
import pg from 'pg';
import { openDesk } from './desk.js';
import { storeInbound } from '../server/src/modules/email/inbound-store.js';
import { parsePool } from '../server/src/modules/email/parse-pool.js';
import { largeMessage } from '../server/src/modules/email/large-message.js';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';

const spent = new Map<string, number[]>();
let statements = 0;
let commits = 0;
let counting = false;
const original = pg.Client.prototype.query;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
(pg.Client.prototype as any).query = function (this: pg.Client, ...args: any[]) {
  const text: string = typeof args[0] === 'string' ? args[0] : (args[0]?.text ?? '?');
  const key = text.replace(/\s+/g, ' ').slice(0, 110);
  if (counting) {
    statements++;
    if (/^\s*commit/i.test(text)) commits++;
  }
  const start = process.hrtime.bigint();
  const record = () => {
    if (counting) spent.set(key, [...(spent.get(key) ?? []), Number(process.hrtime.bigint() - start) / 1e6]);
  };
  const last = args.length - 1;
  if (typeof args[last] === 'function') {
    const cb = args[last];
    args[last] = (...r: unknown[]) => {
      record();
      return cb(...r);
    };
  }
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const result = (original as any).apply(this, args);
  if (result && typeof result.then === 'function') result.then(record, () => {});
  return result;
};
let parseMs = 0;
const parseFile = parsePool.parseFile.bind(parsePool);
parsePool.parseFile = async (file) => {
  const t0 = performance.now();
  try {
    return await parseFile(file);
  } finally {
    parseMs += performance.now() - t0;
  }
};

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '../test/fixtures/email');
const files = fs.readdirSync(fixtures).filter((f) => f.endsWith('.eml') && f !== 'bounce.eml');
const msgs: Buffer[] = [];
for (let c = 0; c < 20; c++)
  for (const f of files) msgs.push(Buffer.from(fs.readFileSync(path.join(fixtures, f)).toString('latin1').replace(/^Message-ID: <([^>]+)>/im, `Message-ID: <c${c}-$1>`), 'latin1'));

/** Busy and total jiffies of the whole machine (/proc/stat), to tell CPU-bound from waiting. */
function machine() {
  const f = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const idle = f[3] + f[4];
  const total = f.reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}
const n = msgs.length + (process.env.LARGE !== '0' ? 1 : 0);
if (process.env.LARGE !== '0') msgs.push(largeMessage(25 * 1024 * 1024, '<bench-large@example.com>'));
const stall = monitorEventLoopDelay({ resolution: 10 });
// Long garbage-collection pauses, and the longest gaps between timer ticks, with when they happened.
const gcs: string[] = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) if (e.duration > 30) gcs.push(`gc ${e.duration.toFixed(0)} ms at ${e.startTime.toFixed(0)}`);
}).observe({ entryTypes: ['gc'] });
const gaps: string[] = [];
const gapWindows: [number, number][] = [];
let lastTick = performance.now();
let tStored = Infinity;
setInterval(() => {
  const now = performance.now();
  if (now - lastTick > 80 && now > tStored) gapWindows.push([lastTick, now]);
  if (now - lastTick > 80) gaps.push(`gap ${(now - lastTick).toFixed(0)} ms ending at ${now.toFixed(0)}`);
  lastTick = now;
}, 5).unref();
const desk = await openDesk((process.env.BENCH_DB as 'postgres' | 'pglite') ?? 'postgres');
const { ctx, runner } = desk.server;
await parsePool.parse(Buffer.from('From: warm@up.test\r\n\r\nwarm'));
parseMs = 0;
counting = true;
stall.enable();
const t0 = performance.now();
for (const raw of msgs) await storeInbound(ctx, { raw, source: 'http' });
tStored = performance.now();
const storeStall = stall.max / 1e6;
stall.reset();
const session = new Session();
if (process.env.PROF) {
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
}
const m0 = machine();
const cpu0 = process.cpuUsage();
const storeStatements = statements;
const storeCommits = commits;
while ((await runner.runDue()) > 0);
const t1 = performance.now();
const m1 = machine();
if (process.env.PROF) {
  // Main-thread CPU by package (or our file) and by function: self time.
  const { profile } = await session.post('Profiler.stop');
  const stoppedAt = performance.now();
  const nodes = new Map(profile.nodes.map((x) => [x.id, x]));
  const byPkg = new Map<string, number>();
  const byFn = new Map<string, number>();
  profile.samples!.forEach((id, i) => {
    const cf = nodes.get(id)!.callFrame;
    const url = cf.url.replace(/.*node_modules\//, '').replace(/.*\/work\/main\//, '');
    const pkg = url.split('/')[0] || cf.functionName;
    const us = profile.timeDeltas![i] ?? 0;
    byPkg.set(pkg, (byPkg.get(pkg) ?? 0) + us);
    const fn = `${cf.functionName || '(anon)'} ${url}:${cf.lineNumber}`;
    byFn.set(fn, (byFn.get(fn) ?? 0) + us);
  });
  const top = (m: Map<string, number>, k: number) => [...m].sort((a, b) => b[1] - a[1]).slice(0, k).map(([key, us]) => `${(us / 1000 / n).toFixed(2).padStart(6)} ms/msg  ${key}`).join('\n');
  // What ran during the longest gap: the nearest frame of our own code, for each sample in it.
  const parents = new Map<number, number>();
  for (const x of profile.nodes) for (const c of x.children ?? []) parents.set(c, x.id);
  const ours = (id: number) => {
    const trail: string[] = [];
    for (let at: number | undefined = id; at !== undefined; at = parents.get(at)) {
      const cf = nodes.get(at)!.callFrame;
      if (/server\/src|bench\//.test(cf.url)) trail.push(`${cf.functionName}@${cf.url.replace(/.*\/work\/main\//, '')}:${cf.lineNumber}`);
      if (trail.length === 3) break;
    }
    return `${nodes.get(id)!.callFrame.functionName || '?'} <- ${trail.join(' <- ')}`;
  };
  const worst = gapWindows.sort((a, b) => b[1] - b[0] - (a[1] - a[0]))[0];
  if (worst) {
    let t = stoppedAt - (profile.endTime - profile.startTime) / 1000;
    const inGap = new Map<string, number>();
    profile.samples!.forEach((id, i) => {
      t += (profile.timeDeltas![i] ?? 0) / 1000;
      if (t >= worst[0] && t <= worst[1]) inGap.set(ours(id), (inGap.get(ours(id)) ?? 0) + (profile.timeDeltas![i] ?? 0) / 1000);
    });
    console.log(`longest gap ${(worst[1] - worst[0]).toFixed(0)} ms:\n${[...inGap].sort((a, b) => b[1] - a[1]).slice(0, 12).map(([k, v]) => `${v.toFixed(0).padStart(5)} ms ${k}`).join('\n')}`);
  }
  console.log(`main thread by package:\n${top(byPkg, 12)}\nby function:\n${top(byFn, 25)}`);
}
console.log([...gcs, ...gaps].join('\n'));
console.log(`phases: store ${t0.toFixed(0)}–${tStored.toFixed(0)}, process –${t1.toFixed(0)}`);
console.log(`longest stall: storing ${storeStall.toFixed(0)} ms, processing ${(stall.max / 1e6).toFixed(0)} ms`);
const cpu1 = process.cpuUsage(cpu0);
counting = false;
console.log(`processing: machine busy ${((100 * (m1.busy - m0.busy)) / (m1.total - m0.total)).toFixed(0)}% of all cores; this process (main + worker) ${((cpu1.user + cpu1.system) / 1000 / n).toFixed(2)} ms CPU per msg`);
console.log((await desk.raw.query(`select name, status, left(last_error, 200) err, count(*)::int n from jobs group by 1, 2, 3 order by 1`)).rows);
console.log(`${n} messages: store ${((tStored - t0) / n).toFixed(2)} ms/msg, ${storeStatements / n} statements, ${storeCommits / n} commits per msg`);
console.log(`process ${((t1 - tStored) / n).toFixed(2)} ms/msg, ${(statements - storeStatements) / n} statements, ${(commits - storeCommits) / n} commits per msg; parse round trip ${(parseMs / n).toFixed(2)} ms/msg`);
const rows = [...spent].map(([k, v]) => ({ k, n: v.length, total: v.reduce((a, b) => a + b, 0) })).sort((a, b) => b.total - a.total);
for (const r of rows) console.log(`${(r.total / n).toFixed(2).padStart(6)} ms/msg  x${(r.n / n).toFixed(2).padStart(5)}  ${r.k}`);
await desk.close();
await parsePool.close();

// Where does an inbound message spend its time? Counts and times every statement the email pipeline
// sends (PostgreSQL only), and the parse-worker round trips. `npx tsx bench/email-profile.ts`.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { openDesk } from './desk.js';
import { storeInbound } from '../server/src/modules/email/inbound-store.js';
import { parsePool } from '../server/src/modules/email/parse-pool.js';

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

const desk = await openDesk((process.env.BENCH_DB as 'postgres' | 'pglite') ?? 'postgres');
const { ctx, runner } = desk.server;
await parsePool.parse(Buffer.from('From: warm@up.test\r\n\r\nwarm'));
parseMs = 0;
counting = true;
const t0 = performance.now();
for (const raw of msgs) await storeInbound(ctx, { raw, source: 'http' });
const tStored = performance.now();
const storeStatements = statements;
const storeCommits = commits;
while ((await runner.runDue()) > 0);
const t1 = performance.now();
counting = false;
console.log((await desk.raw.query(`select name, status, count(*)::int n from jobs group by 1, 2 order by 1`)).rows);
const n = msgs.length;
console.log(`${n} messages: store ${((tStored - t0) / n).toFixed(2)} ms/msg, ${storeStatements / n} statements, ${storeCommits / n} commits per msg`);
console.log(`process ${((t1 - tStored) / n).toFixed(2)} ms/msg, ${(statements - storeStatements) / n} statements, ${(commits - storeCommits) / n} commits per msg; parse round trip ${(parseMs / n).toFixed(2)} ms/msg`);
const rows = [...spent].map(([k, v]) => ({ k, n: v.length, total: v.reduce((a, b) => a + b, 0) })).sort((a, b) => b.total - a.total);
for (const r of rows) console.log(`${(r.total / n).toFixed(2).padStart(6)} ms/msg  x${(r.n / n).toFixed(2).padStart(5)}  ${r.k}`);
await desk.close();
await parsePool.close();

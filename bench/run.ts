// `npm run bench`: the product's API against hand-written SQL on PGlite and on PostgreSQL, as ratios.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createBench } from './create-bench.js';
import { openDesk, type DbKind } from './desk.js';
import { listBench } from './list-bench.js';
import { loadTickets } from './load-tickets.js';
import { createPasses, listPasses, markdownReport, terminalReport, type DbRun } from './report.js';

const int = (name: string, fallback: number) => {
  const v = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(v) || v < 1) throw new Error(`${name} must be a positive whole number`);
  return v;
};
const settings = {
  tickets: int('BENCH_TICKETS', 100_000),
  rounds: int('BENCH_ROUNDS', 10),
  ops: int('BENCH_OPS', 50),
  iterations: int('BENCH_ITERATIONS', 120),
};
const kinds = (process.env.BENCH_DB ?? 'pglite,postgres').split(',').map((k) => k.trim()) as DbKind[];
for (const k of kinds) if (k !== 'pglite' && k !== 'postgres') throw new Error(`BENCH_DB: unknown database ${k}`);

const log = (line: string) => console.log(`[bench] ${line}`);
const runs: DbRun[] = [];
for (const kind of kinds) {
  log(`${kind}: starting`);
  const desk = await openDesk(kind);
  try {
    log(`${desk.label}: loading ${settings.tickets} tickets`);
    const loaded = await loadTickets(desk, settings.tickets, log);
    log(`loaded ${loaded.tickets} tickets and ${loaded.messages} messages in ${loaded.seconds.toFixed(0)} s`);
    log('list and search');
    const list = await listBench(desk, loaded, settings.iterations, log);
    log('create');
    const create = await createBench(desk, settings.rounds, settings.ops, log);
    runs.push({ kind, label: desk.label, loaded, create, list });
  } finally {
    await desk.close();
  }
}

console.log(`\n${terminalReport(runs)}\n`);
if (process.env.BENCH_DOC !== '0') {
  const doc = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../docs/performance.md');
  fs.writeFileSync(doc, markdownReport(runs, settings));
  log(`wrote ${path.relative(process.cwd(), doc)}`);
}
const failed = runs.filter((r) => r.kind === 'postgres').some((r) => !createPasses(r) || r.list.some((l) => !listPasses(l)));
if (failed) log('a PostgreSQL target was missed');
process.exit(failed && process.env.BENCH_STRICT === '1' ? 1 : 0);

// `npx tsx bench/search-vector.ts`: the search functions of migration 0016 against those of 0012
// they replace, side by side on one database (BENCH_DB=postgres | pglite): identical vectors for the
// seed articles and the fixture texts, and the cost of one vector per statement, as a ratio.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDesk, type DbKind } from './desk.js';
import { median } from './stats.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const migration = fs.readFileSync(path.join(here, '../server/src/db/migrations/0012_search_documents.sql'), 'utf8');
const renamed = (s: string) => s.replace(/\b(search_text|search_extra_words|search_vector)\(/g, '$1_0012(');
const older = migration
  .split('--> statement-breakpoint')
  .filter((s) => /CREATE FUNCTION (search_text|search_extra_words|search_vector)\(/.test(s))
  .map(renamed);

const seeds = path.join(here, '../../shared/seeds');
const texts = fs.existsSync(seeds)
  ? fs.readdirSync(seeds).flatMap((f) => fs.readFileSync(path.join(seeds, f), 'utf8').split(/\n+/).filter((l) => l.trim()))
  : [];
texts.push('نمی‌توانم می شود کتاب‌ها الكتاب والكتاب للبيت بزرگ ترین', 'Ёлка «кавычки» — тире…', 'ÀÉÎÕÜ straße', 'plain text', '');

const kind = (process.env.BENCH_DB ?? 'postgres') as DbKind;
const desk = await openDesk(kind);
try {
  const pool = desk.raw as { connect?: () => Promise<{ query: typeof desk.raw.query; release(): void }> } & typeof desk.raw;
  const c = pool.connect ? await pool.connect() : desk.raw;
  for (const statement of older) await c.query(statement);
  let differ = 0;
  for (const t of texts) {
    const { rows } = await c.query('select search_vector($1)::text = search_vector_0012($1)::text as same', [t]);
    if (!rows[0].same) differ++;
  }
  console.log(`[bench:search] ${desk.label}: ${texts.length} texts, ${differ} vectors differ from 0012's`);
  const sample = texts.filter((t) => t.length > 40 && t.length < 400).slice(0, 40);
  const times = (fn: string) => async () => {
    const ms: number[] = [];
    for (const t of sample) {
      const t0 = performance.now();
      await c.query(`select ${fn}($1)`, [t]);
      ms.push(performance.now() - t0);
    }
    return ms;
  };
  const current: number[] = [];
  const baseline: number[] = [];
  for (let round = 0; round < 10; round++) {
    current.push(...(await times('search_vector')()));
    baseline.push(...(await times('search_vector_0012')()));
  }
  const [a, b] = [median(current), median(baseline)];
  console.log(`[bench:search] ${desk.label}: one vector per statement, median ${a.toFixed(3)} ms now, ${b.toFixed(3)} ms with 0012's functions: ${(b / a).toFixed(1)}× faster`);
  if ('release' in c) (c as { release(): void }).release();
  process.exitCode = differ ? 1 : 0;
} finally {
  await desk.close();
}

// Builds the agent app into web/dist when it is missing or older than its sources; fast when up to date.
// `--force` always builds; `--check` fails when the initial JavaScript is over budget.
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatReport, initialJs, INITIAL_JS_BUDGET } from './web-size.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const web = path.join(root, 'web');
const dist = path.join(web, 'dist');
const args = new Set(process.argv.slice(2));

function newest(p) {
  if (!existsSync(p)) return 0;
  const s = statSync(p);
  if (!s.isDirectory()) return s.mtimeMs;
  let n = s.mtimeMs;
  for (const e of readdirSync(p)) n = Math.max(n, newest(path.join(p, e)));
  return n;
}

const sources = [path.join(web, 'src'), path.join(web, 'index.html'), path.join(web, 'vite.config.ts'), path.join(root, 'common')];
const builtAt = existsSync(path.join(dist, 'index.html')) ? statSync(path.join(dist, 'index.html')).mtimeMs : 0;
const stale = args.has('--force') || builtAt === 0 || Math.max(...sources.map(newest)) > builtAt;

if (stale) {
  const started = Date.now();
  process.stdout.write('  Building the agent app (web/dist)…\n');
  const { build } = await import('vite');
  await build({ configFile: path.join(web, 'vite.config.ts'), logLevel: 'warn' });
  const report = initialJs(dist);
  process.stdout.write(`  Built in ${((Date.now() - started) / 1000).toFixed(1)} s\n${formatReport(report)}\n`);
  if (args.has('--check') && report.gzip > INITIAL_JS_BUDGET) process.exit(1);
} else if (args.has('--check')) {
  const report = initialJs(dist);
  process.stdout.write(formatReport(report) + '\n');
  if (report.gzip > INITIAL_JS_BUDGET) process.exit(1);
}

// The agent app's initial JavaScript, gzipped: the entry script and every chunk index.html preloads.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

export const INITIAL_JS_BUDGET = 300 * 1024;

export function initialJs(dist) {
  const html = readFileSync(path.join(dist, 'index.html'), 'utf8');
  const refs = new Set();
  for (const m of html.matchAll(/<script[^>]*type="module"[^>]*src="([^"]+)"/g)) refs.add(m[1]);
  for (const m of html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g)) refs.add(m[1]);
  const files = [...refs].map((ref) => {
    const raw = readFileSync(path.join(dist, ref.replace(/^\//, '')));
    return { file: ref, bytes: raw.length, gzip: gzipSync(raw, { level: 9 }).length };
  });
  return { files, gzip: files.reduce((n, f) => n + f.gzip, 0), bytes: files.reduce((n, f) => n + f.bytes, 0) };
}

export function formatReport(report) {
  const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
  const lines = report.files.map((f) => `    ${f.file}  ${kb(f.bytes)} (${kb(f.gzip)} gzipped)`);
  const verdict = report.gzip <= INITIAL_JS_BUDGET ? 'within' : 'OVER';
  return [`  Agent app initial JavaScript: ${kb(report.gzip)} gzipped (${verdict} the ${kb(INITIAL_JS_BUDGET)} budget)`, ...lines].join('\n');
}

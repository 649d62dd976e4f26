import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const dir = path.dirname(fileURLToPath(import.meta.url));
const src = path.resolve(dir, '..');
const locales = ['en', 'ar', 'fa', 'ru'] as const;

function flatten(obj: Record<string, unknown>, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v && typeof v === 'object') for (const [kk, vv] of flatten(v as Record<string, unknown>, key)) out.set(kk, vv);
    else out.set(key, String(v));
  }
  return out;
}

const catalogs = Object.fromEntries(locales.map((l) => [l, flatten(JSON.parse(readFileSync(path.join(dir, `${l}.json`), 'utf8')))])) as Record<
  (typeof locales)[number],
  Map<string, string>
>;
const placeholders = (s: string) => [...s.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();

function sourceFiles(d: string): string[] {
  return readdirSync(d).flatMap((e) => {
    const p = path.join(d, e);
    if (statSync(p).isDirectory()) return sourceFiles(p);
    return /\.tsx?$/.test(e) && !e.endsWith('.test.ts') ? [p] : [];
  });
}

describe('translation catalogs', () => {
  for (const l of locales.filter((x) => x !== 'en')) {
    it(`${l} has exactly the English keys, none empty, with the same placeholders`, () => {
      const en = catalogs.en;
      const other = catalogs[l];
      expect([...other.keys()].filter((k) => !en.has(k)), `keys only in ${l}`).toEqual([]);
      expect([...en.keys()].filter((k) => !other.has(k)), `keys missing from ${l}`).toEqual([]);
      expect([...other.entries()].filter(([, v]) => !v.trim()).map(([k]) => k), `empty strings in ${l}`).toEqual([]);
      const mismatched = [...en.entries()].filter(([k, v]) => other.has(k) && placeholders(v).join() !== placeholders(other.get(k)!).join()).map(([k]) => k);
      expect(mismatched, `placeholders differ in ${l}`).toEqual([]);
    });
  }

  it('every literal key the app asks for exists', () => {
    const used = new Set<string>();
    for (const file of sourceFiles(src)) {
      for (const m of readFileSync(file, 'utf8').matchAll(/\bt\(\s*['`]([a-zA-Z_][\w.]*)['`]/g)) used.add(m[1]);
    }
    expect(used.size).toBeGreaterThan(50);
    expect([...used].filter((k) => !catalogs.en.has(k)).sort()).toEqual([]);
  });

  it('RTL catalogs are really translated (not copies of English)', () => {
    for (const l of ['ar', 'fa', 'ru'] as const) {
      const same = [...catalogs.en.entries()].filter(([k, v]) => catalogs[l].get(k) === v && /[a-z]{3}/i.test(v) && !/^(API|Frontline|\{\{)/.test(v));
      expect(same.map(([k]) => k), `untranslated in ${l}`).toEqual([]);
    }
  });
});

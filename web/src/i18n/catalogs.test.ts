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

/** i18next plural forms: `key_one`, `key_other`… are one key whose forms follow the language's plural rules. */
const pluralForm = /^(.+)_(zero|one|two|few|many|other)$/;
type Entry = { forms: Map<string, string> } | { text: string };
function grouped(catalog: Map<string, string>): Map<string, Entry> {
  const out = new Map<string, Entry>();
  for (const [key, text] of catalog) {
    const m = key.match(pluralForm);
    if (!m) {
      out.set(key, { text });
      continue;
    }
    const entry = out.get(m[1]) ?? { forms: new Map<string, string>() };
    if ('forms' in entry) entry.forms.set(m[2], text);
    out.set(m[1], entry);
  }
  return out;
}
const categories = (l: string) => [...new Intl.PluralRules(l).resolvedOptions().pluralCategories].sort();

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
      const en = grouped(catalogs.en);
      const other = grouped(catalogs[l]);
      expect([...other.keys()].filter((k) => !en.has(k)), `keys only in ${l}`).toEqual([]);
      expect([...en.keys()].filter((k) => !other.has(k)), `keys missing from ${l}`).toEqual([]);
      expect([...catalogs[l].entries()].filter(([, v]) => !v.trim()).map(([k]) => k), `empty strings in ${l}`).toEqual([]);
      const mismatched = [...en.entries()]
        .filter(([k, v]) => {
          const o = other.get(k);
          if (!o) return false;
          if ('text' in v || 'text' in o) return !('text' in v && 'text' in o) || placeholders(v.text).join() !== placeholders(o.text).join();
          // A form may leave out the number ("one ticket"), never add a placeholder English lacks.
          const allowed = new Set([...placeholders(v.forms.get('other') ?? ''), 'count']);
          return [...o.forms.values()].some((t) => placeholders(t).some((p) => !allowed.has(p)));
        })
        .map(([k]) => k);
      expect(mismatched, `placeholders differ in ${l}`).toEqual([]);
    });

    it(`${l} gives every plural key exactly the forms its plural rules use`, () => {
      const wrong = [...grouped(catalogs[l])].filter(([, e]) => 'forms' in e && [...e.forms.keys()].sort().join() !== categories(l).join()).map(([k]) => k);
      expect(wrong).toEqual([]);
    });
  }

  it('English plural keys have the forms English uses', () => {
    const wrong = [...grouped(catalogs.en)].filter(([, e]) => 'forms' in e && [...e.forms.keys()].sort().join() !== categories('en').join()).map(([k]) => k);
    expect(wrong).toEqual([]);
  });

  it('every literal key the app asks for exists', () => {
    const used = new Set<string>();
    for (const file of sourceFiles(src)) {
      for (const m of readFileSync(file, 'utf8').matchAll(/\bt\(\s*['`]([a-zA-Z_][\w.]*)['`]/g)) used.add(m[1]);
    }
    expect(used.size).toBeGreaterThan(50);
    expect([...used].filter((k) => !catalogs.en.has(k) && !catalogs.en.has(`${k}_other`)).sort()).toEqual([]);
  });

  it('RTL catalogs are really translated (not copies of English)', () => {
    for (const l of ['ar', 'fa', 'ru'] as const) {
      const same = [...catalogs.en.entries()].filter(([k, v]) => catalogs[l].get(k) === v && /[a-z]{3}/i.test(v) && !/^(API|Frontline|\{\{)/.test(v));
      expect(same.map(([k]) => k), `untranslated in ${l}`).toEqual([]);
    }
  });
});

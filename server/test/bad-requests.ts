import { randomUUID } from 'node:crypto';

/** Just enough of an OpenAPI schema to build requests from it. */
export type Schema = {
  type?: string;
  format?: string;
  pattern?: string;
  enum?: unknown[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  items?: Schema;
  minItems?: number;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
};
export type Parameter = { in: 'path' | 'query' | 'header' | 'cookie'; name: string; schema?: Schema; required?: boolean };
export type Operation = {
  method: string;
  path: string;
  parameters: Parameter[];
  /** The JSON body's schema, when the operation documents one. */
  body?: Schema;
  bodyRequired: boolean;
};

/** One request to send: `payload` is sent as written (raw text), so invalid JSON stays invalid. */
export type BadRequest = { name: string; method: string; url: string; payload?: string; headers: Record<string, string> };

export const MEGABYTE = 'x'.repeat(1024 * 1024);
const LONG = 'a'.repeat(5000);
const DEPTH = 10_000;
/** `{"a":{"a":…1…}}` nested DEPTH levels, written as text: JSON.stringify would recurse that deep. */
const deepText = `${'{"a":'.repeat(DEPTH)}1${'}'.repeat(DEPTH)}`;
const DEEP = Symbol('deep');

const typesOf = (s: Schema | undefined): string[] =>
  !s ? [] : s.anyOf || s.oneOf ? (s.anyOf ?? s.oneOf)!.flatMap(typesOf) : s.enum ? ['enum', ...(s.type ? [s.type] : [])] : [s.type ?? 'any'];

// Values tried against a `pattern` with no format; the first that matches is a valid sample.
const patternSamples = ['updatedAt', 'text/plain', 'example.com', '09:00', 'desk@example.com', 'smtp://127.0.0.1:25', 'a'];

/** A value the schema accepts (best effort): only what is required, the smallest allowed. */
export function sampleOf(s: Schema | undefined): unknown {
  if (!s) return 'x';
  const options = s.anyOf ?? s.oneOf;
  if (options) return sampleOf(options.find((o) => o.type !== 'null') ?? options[0]);
  if (s.enum) return s.enum[0];
  switch (s.type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const key of s.required ?? []) out[key] = sampleOf(s.properties?.[key]);
      return out;
    }
    case 'array':
      return Array.from({ length: s.minItems ?? 0 }, () => sampleOf(s.items));
    case 'integer':
    case 'number':
      return s.minimum ?? 1;
    case 'boolean':
      return false;
    case 'null':
      return null;
  }
  if (s.format === 'uuid') return randomUUID();
  if (s.format === 'email') return `nobody-${randomUUID().slice(0, 8)}@example.com`;
  if (s.format === 'date-time') return '2031-01-02T03:04:05.000Z';
  if (s.format === 'date') return '2031-01-02';
  if (s.format === 'uri') return 'http://127.0.0.1:9/hook';
  if (s.format === 'base64') return 'aGk=';
  if (s.pattern) {
    const re = new RegExp(s.pattern, 'u');
    return patternSamples.find((v) => re.test(v)) ?? 'a';
  }
  return 'x'.repeat(Math.max(1, s.minLength ?? 1));
}

/** A value of the wrong JSON type for the schema: a number where text goes, text elsewhere. */
function wrongTypeOf(s: Schema | undefined): unknown {
  const types = typesOf(s);
  if (types.includes('string') || types.includes('enum')) return types.includes('number') || types.includes('integer') ? true : 12345;
  return 'not the right type';
}

/** Query (and header) values a parameter of this schema should refuse, or take without harm. */
function badQueryValues(s: Schema | undefined): string[] {
  const types = typesOf(s);
  // Overlong, empty, NUL, and text that means something to a search or LIKE pattern.
  const out = [LONG, '', '%00', `!&|():*'"<->\\%_ ~`, '%25%5F', '   '];
  if (types.includes('integer') || types.includes('number')) out.push('ten', '-1', '1.5', '1e309', '99999999999999999999999', 'NaN');
  if (types.includes('boolean')) out.push('maybe');
  if (types.includes('enum') || s?.pattern) out.push('bogus');
  if (s?.format === 'uuid') out.push('not-a-uuid', '00000000-0000-0000-0000-00000000000g');
  if (s?.format === 'date-time' || s?.format === 'date') out.push('yesterday', '99999-99-99T99:99:99Z', '0000-01-01T00:00:00Z');
  if (typeof s?.maxLength === 'number') out.push('q'.repeat(s.maxLength + 1));
  return out;
}

export const badPathValues = ['not-a-uuid', '<unknown uuid>', LONG, '%00', '..%2F', '..%2F..%2Fauth%2Fme', '%E0%A4%A', '%'];

function urlOf(path: string, params: Record<string, string>, query = ''): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => params[name]) + (query ? `?${query}` : '');
}

const json = { 'content-type': 'application/json' };
const enc = encodeURIComponent;

/**
 * Every malformed request built from one operation's own schema. `realIds` gives the path
 * parameters a record that exists (so a body gets past "not found"); `unknownIds` ids that do not.
 */
export function badRequestsFor(op: Operation, realIds: Record<string, string>, unknownIds: Record<string, string>): BadRequest[] {
  const out: BadRequest[] = [];
  const { method, path } = op;
  const valid = op.body ? sampleOf(op.body) : undefined;
  const validText = valid === undefined ? undefined : JSON.stringify(valid);
  const withBody = (payload: string | undefined) => (payload === undefined ? {} : { payload, headers: { ...json } });
  const add = (name: string, url: string, payload?: string, headers: Record<string, string> = payload === undefined ? {} : { ...json }) =>
    out.push({ name, method, url, payload, headers });

  // Path parameters: malformed, unknown, overlong, NUL, traversal; the rest of the request is fine.
  for (const p of op.parameters.filter((x) => x.in === 'path')) {
    for (const bad of badPathValues) {
      const value = bad === '<unknown uuid>' ? randomUUID() : bad;
      const { payload } = withBody(validText);
      add(`path ${p.name}=${bad.slice(0, 20)}`, urlOf(path, { ...unknownIds, [p.name]: value }), payload);
    }
  }
  const url = urlOf(path, realIds);
  // Query: each documented parameter with values of the wrong type, out of range, overlong; then one nobody documents.
  for (const p of op.parameters.filter((x) => x.in === 'query')) {
    for (const bad of badQueryValues(p.schema)) add(`query ${p.name}=${bad.slice(0, 20)}`, urlOf(path, realIds, `${p.name}=${bad === '%00' ? bad : enc(bad)}`), validText);
    add(`query ${p.name} twice`, urlOf(path, realIds, `${p.name}=a&${p.name}=b`), validText);
  }
  add('query unknownParameter', urlOf(path, realIds, 'unknownParameter=1'), validText);
  // Headers the operation documents (If-Match): junk and overlong.
  for (const p of op.parameters.filter((x) => x.in === 'header')) {
    for (const bad of ['junk', LONG, '"-1"', '"99999999999999999999"', 'W/"1"']) add(`header ${p.name}=${bad.slice(0, 20)}`, url, validText, { ...(validText ? json : {}), [p.name]: bad });
  }
  // Credentials and headers every route reads: a junk token or cookie, odd language and cache headers.
  const headers = validText ? json : {};
  add('header authorization: long token', url, validText, { ...headers, authorization: `Bearer ${LONG}` });
  add('header authorization: Basic', url, validText, { ...headers, authorization: 'Basic Og==' });
  add('header cookie: junk session', url, validText, { ...headers, authorization: '', cookie: `frontline_session=${LONG}; frontline_session=%zz` });
  add('header accept-language: junk', url, validText, { ...headers, 'accept-language': `${LONG};q=x, *;q=-1` });
  add('header if-none-match: junk', url, validText, { ...headers, 'if-none-match': 'W/"junk", "99999999999999999999"' });
  if (method === 'GET' || method === 'HEAD') return out;

  // Bodies. Every operation that writes gets the ones that break JSON itself.
  add('body invalid JSON', url, '{"a": ');
  add('body JSON null', url, 'null');
  add('body JSON array', url, JSON.stringify([valid ?? {}]));
  add('body JSON string', url, '"text"');
  add('body __proto__ key', url, '{"__proto__": {"admin": true}}');
  add('body deeply nested', url, deepText);
  add('body wrong content-type', url, validText ?? '{}', { 'content-type': 'text/plain' });
  add('body unknown content-type', url, validText ?? '{}', { 'content-type': 'application/x-unknown' });
  add('body form-encoded', url, 'a=1&b=2', { 'content-type': 'application/x-www-form-urlencoded' });
  add('body empty with JSON content-type', url, '', { ...json });
  add('body empty, no content-type', url, undefined, {});
  add('body 1 MB string', url, JSON.stringify(MEGABYTE));
  if (!op.body || typeof valid !== 'object' || valid === null) return out;

  const base = valid as Record<string, unknown>;
  const put = (name: string, value: unknown) =>
    value === DEEP ? JSON.stringify(base).replace(/}$/, `${Object.keys(base).length ? ',' : ''}"${name}":${deepText}}`) : JSON.stringify({ ...base, [name]: value });
  add('body unknown extra fields', url, JSON.stringify({ ...base, unknownField: 'x', anotherOne: { nested: [1, 2] } }));
  add('body unknown field deeply nested', url, put('unknownField', DEEP));
  add('body valid sample', url, validText);
  // Each top-level property: the wrong type, null, 1 MB of text (arrays: of one such item, and of too many), an object nested deep.
  for (const [name, schema] of Object.entries(op.body.properties ?? {})) {
    add(`body ${name}: wrong type`, url, put(name, wrongTypeOf(schema)));
    add(`body ${name}: null`, url, put(name, null));
    add(`body ${name}: 1 MB string`, url, put(name, MEGABYTE));
    if (typesOf(schema).includes('array')) {
      add(`body ${name}: [1 MB string]`, url, put(name, [MEGABYTE]));
      // More items than PostgreSQL takes parameters in one statement.
      add(`body ${name}: 70 000 items`, url, put(name, Array.from({ length: 70_000 }, () => sampleOf(itemsOf(schema)))));
    }
    // Only an object could let the depth through; anything else is refused for its type, as above.
    if (typesOf(schema).includes('object')) {
      add(`body ${name}: {}`, url, put(name, {}));
      add(`body ${name}: deeply nested`, url, put(name, DEEP));
    }
  }
  // Every property, nested ones too: values at the edge of its type.
  for (const [at, schema] of leavesOf(op.body)) {
    // Nested text only gets the wrong type: its length and spaces are tested at the top level.
    const edges = at.length > 1 && typesOf(schema).every((t) => t === 'string' || t === 'enum') && !schema.format ? [] : edgeValuesOf(schema);
    for (const edge of edges) add(`body ${at.join('.')}: ${String(JSON.stringify(edge)).slice(0, 30)}`, url, JSON.stringify(setAt(base, at, edge, op.body)));
    if (at.length > 1) add(`body ${at.join('.')}: wrong type`, url, JSON.stringify(setAt(base, at, wrongTypeOf(schema), op.body)));
  }
  return out;
}

const optionsOf = (s: Schema): Schema[] => s.anyOf ?? s.oneOf ?? [s];
const itemsOf = (s: Schema): Schema | undefined => optionsOf(s).find((o) => o.items)?.items;

/** Every property path in a body schema (into objects and the first item of arrays), a few levels deep. */
function leavesOf(s: Schema, at: (string | number)[] = [], depth = 0): [(string | number)[], Schema][] {
  if (depth > 4) return [];
  const out: [(string | number)[], Schema][] = at.length ? [[at, s]] : [];
  for (const o of optionsOf(s)) {
    for (const [name, child] of Object.entries(o.properties ?? {})) out.push(...leavesOf(child, [...at, name], depth + 1));
    if (o.items) out.push(...leavesOf(o.items, [...at, 0], depth + 1));
  }
  return out;
}

/** A copy of the sample with `value` at `at`, filling in whatever lies on the way from the schema. */
function setAt(base: unknown, at: (string | number)[], value: unknown, schema: Schema): unknown {
  if (!at.length) return value;
  const [key, ...rest] = at;
  const options = optionsOf(schema);
  if (typeof key === 'number') {
    const items = itemsOf(schema) ?? {};
    const list = Array.isArray(base) && base.length ? [...base] : [sampleOf(items)];
    list[0] = setAt(list[0], rest, value, items);
    return list;
  }
  const child = options.find((o) => o.properties?.[key])?.properties?.[key] ?? {};
  const obj = base && typeof base === 'object' && !Array.isArray(base) ? { ...(base as Record<string, unknown>) } : (sampleOf(options.find((o) => o.properties) ?? schema) as Record<string, unknown>);
  obj[key] = setAt(obj[key] ?? sampleOf(child), rest, value, child);
  return obj;
}

/** Values a property of this type could be given that sit at, or past, the edge of what makes sense. */
function edgeValuesOf(s: Schema): unknown[] {
  const types = typesOf(s);
  const formats = optionsOf(s).map((o) => o.format);
  const out: unknown[] = [];
  if (types.includes('integer') || types.includes('number')) out.push(-1, 0.5, 2 ** 31, 1e308);
  if (formats.includes('date-time')) out.push('0000-01-01T00:00:00Z', '9999-12-31T23:59:59-14:00', '2020-02-30T00:00:00Z');
  if (formats.includes('date')) out.push('0000-01-01', '9999-12-31');
  if (formats.includes('uuid')) out.push('00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff');
  if (types.includes('string') && !formats.some(Boolean) && !s.enum) out.push('', '   ');
  if (types.includes('array')) out.push([]);
  return out;
}

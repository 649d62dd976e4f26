import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDesk, type Account, type TestDesk } from './harness.js';
import { portalCustomer } from './portal-customer.js';
import { routesOf } from '../src/app.js';
import { roleHas, type Capability } from '../src/platform/permissions.js';
import { badRequestsFor, sampleOf, type BadRequest, type Operation, type Parameter, type Schema } from './bad-requests.js';

// Every operation in /api/openapi.json, sent malformed requests built from its own schema, as an
// admin and as a portal customer: no answer may be a 500, and every 4xx is the API's error shape
// with a code that docs/api.md lists. New routes are covered by being in the document.

/** Operations that cannot take these cases as they stand, and why (nothing is left out silently). */
const notExercised: Record<string, string> = {
  'GET /api/v1/realtime':
    'a WebSocket upgrade, not in the OpenAPI document: malformed messages are tested in platform/realtime/presence.test.ts, refused sockets in realtime.test.ts',
};
/** Operations whose body is not JSON: the JSON body cases still run (they must be refused cleanly), plus these. */
const rawBodies: Record<string, { contentType: string; payloads: string[] }> = {
  'POST /api/v1/email/inbound': { contentType: 'message/rfc822', payloads: ['', 'not a mail at all', '\r\n\r\n', 'Subject: \u0000\r\n\r\nx', `Subject: ${'x'.repeat(1 << 20)}\r\n\r\nbody`] },
};

const docsApi = fs.readFileSync(path.resolve(import.meta.dirname, '../../docs/api.md'), 'utf8');
/** The codes in docs/api.md's error table: each answer's code must be one of them. */
const documentedCodes = new Set(
  docsApi
    .slice(docsApi.indexOf('## Errors'), docsApi.indexOf('\n## ', docsApi.indexOf('## Errors') + 1))
    .split('\n')
    .filter((line) => /^\| \d{3} \|/.test(line))
    .flatMap((line) => [...line.matchAll(/`([a-z][a-z_]*)`/g)].map((m) => m[1])),
);

const httpMethods = ['get', 'put', 'post', 'delete', 'patch'];
let desk: TestDesk;
let operations: Operation[];
/** A record that exists for each collection a path parameter points into (the segment before it). */
const realIds: Record<string, string> = {};

async function ok<T = any>(res: Promise<{ status: number; body: T }>, what: string): Promise<T> {
  const answer = await res;
  if (answer.status >= 300) throw new Error(`${what}: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body;
}

beforeAll(async () => {
  desk = await startDesk({ env: { FRONTLINE_WEBHOOKS_ALLOW_INTERNAL: '1' } });
  const doc = (await desk.request(null, 'GET', '/api/openapi.json')).body as {
    paths: Record<string, Record<string, { parameters?: Parameter[]; requestBody?: { required?: boolean; content: Record<string, { schema: Schema }> } }>>;
  };
  operations = Object.entries(doc.paths).flatMap(([p, item]) =>
    Object.entries(item)
      .filter(([m]) => httpMethods.includes(m))
      .map(([m, op]) => ({ method: m.toUpperCase(), path: p, parameters: op.parameters ?? [], body: op.requestBody?.content['application/json']?.schema, bodyRequired: !!op.requestBody?.required })),
  );

  // One of each record a path can name, made through the API.
  const admin = await desk.as('admin');
  const r = (method: string, url: string, body?: unknown) => ok(desk.request(admin, method, url, body), `${method} ${url}`);
  realIds.teams = (await r('POST', '/api/v1/teams', { name: 'Bad input team' })).id;
  realIds.organizations = (await r('POST', '/api/v1/organizations', { name: 'Bad input org', domains: ['bad-input.example.com'] })).id;
  realIds.customers = (await r('POST', '/api/v1/customers', { name: 'Bad Input', emails: ['bad-input@example.com'] })).id;
  realIds.staff = (await r('POST', '/api/v1/staff', { email: 'bad-input-agent@desk.test', name: 'Agent', role: 'agent', password: 'a long password 1' })).id;
  const ticket = await r('POST', '/api/v1/tickets', {
    subject: 'Bad input',
    channel: 'email',
    requesterId: realIds.customers,
    body: 'hello',
    attachments: [{ filename: 'a.txt', contentType: 'text/plain', contentBase64: 'aGk=' }],
  });
  realIds.tickets = ticket.id;
  realIds.attachments = ticket.messages[0].attachments[0].id;
  realIds.webhooks = (await r('POST', '/api/v1/webhooks', { url: 'http://127.0.0.1:9/hook' })).id;
  realIds.calendars = (await r('POST', '/api/v1/sla/calendars', { name: 'Bad input hours', teamId: realIds.teams, hours: [{ day: 1, start: '09:00', end: '17:00' }] })).id;
  realIds.policies = (await r('POST', '/api/v1/sla/policies', { name: 'Bad input policy', targets: [{ metric: 'resolution', seconds: 3600 }] })).id;
  realIds.mailboxes = (await r('POST', '/api/v1/email/mailboxes', { address: 'bad-input@desk.test', name: 'Bad input' })).id;
  realIds.tokens = (await r('POST', '/api/v1/auth/tokens', { name: 'bad input' })).id;
  // Mail in, processed into a ticket, and a reply to it queued to go out: an inbound and an outbound record.
  const raw = 'From: someone@example.com\r\nTo: bad-input@desk.test\r\nSubject: hi\r\nMessage-ID: <bad-input@example.com>\r\n\r\nhello\r\n';
  const inbound = await desk.app.inject({ method: 'POST', url: '/api/v1/email/inbound', payload: raw, headers: { ...admin.headers, 'content-type': 'message/rfc822' } });
  realIds.inbound = inbound.json().id;
  await desk.runner.runDue();
  const mailed = (await r('GET', `/api/v1/tickets?q=hi&channel=email`)).data[0];
  realIds.outbound = (await r('POST', `/api/v1/tickets/${mailed.id}/messages`, { body: 'a reply that goes out by email' })).message.delivery.outboundId;
});
afterAll(async () => desk?.close());

/** Collections with no record to point at here; their cases run against ids that do not exist. */
const noRecord: Record<string, string> = { jobs: 'jobs are off in tests, so there is no failed job to retry' };

function idsFor(op: Operation, unknown: Record<string, string>, own: Record<string, string>): Record<string, string> {
  // Destructive calls only ever meet ids that do not exist, so the desk stays as it was.
  if (op.method === 'DELETE') return unknown;
  const out: Record<string, string> = {};
  for (const match of op.path.matchAll(/([\w-]+)\/\{(\w+)\}/g)) {
    const [, collection, param] = match;
    const id = own[collection] ?? realIds[collection];
    if (!id && !(collection in noRecord)) throw new Error(`${op.method} ${op.path}: no record for {${param}}; add one to the fixtures or to noRecord with a reason`);
    out[param] = id ?? unknown[param];
  }
  return out;
}

type Fault = string;

/** Sends the requests a few at a time and returns every answer that breaks the rules. */
async function run(account: Account, requests: BadRequest[], refused: boolean): Promise<Fault[]> {
  const faults: Fault[] = [];
  for (let i = 0; i < requests.length; i += 8) {
    await Promise.all(
      requests.slice(i, i + 8).map(async (req) => {
        const res = await desk.app.inject({ method: req.method as 'GET', url: req.url, payload: req.payload, headers: { ...account.headers, ...req.headers } });
        const where = `${req.method} ${req.url.slice(0, 90)} [${req.name}]`;
        if (res.statusCode >= 500) return void faults.push(`${where}: ${res.statusCode} ${res.body.slice(0, 200)}`);
        if (res.statusCode < 400) return void (refused && faults.push(`${where}: ${res.statusCode}, though the role may not use it`));
        let code: unknown;
        try {
          code = JSON.parse(res.body)?.error?.code;
        } catch {
          /* not JSON: reported below */
        }
        if (typeof code !== 'string' || !String(res.headers['content-type']).includes('application/json')) faults.push(`${where}: ${res.statusCode} without the JSON error shape: ${res.body.slice(0, 120)}`);
        else if (!documentedCodes.has(code)) faults.push(`${where}: ${res.statusCode} code "${code}" is not in docs/api.md's error table`);
      }),
    );
  }
  return faults;
}

/** Signs in again when a case ended the session (sign-out is an operation like any other). */
async function stillSignedIn(account: Account): Promise<void> {
  if ((await desk.request(account, 'GET', '/api/v1/auth/me')).status !== 401) return;
  const login = await ok(desk.request(null, 'POST', '/api/v1/auth/login', { email: account.email, password: account.password }), 'sign in again');
  account.headers = { authorization: `Bearer ${login.token}` };
}

/** Each operation's declared capability, from the app's routes (`:id` written `{id}` as in the document). */
function capabilityOf(op: Operation): Capability | 'public' {
  const route = routesOf(desk.app).find((r) => [r.method].flat().includes(op.method) && r.url.replace(/:(\w+)/g, '{$1}') === op.path);
  const capability = (route?.config as { capability?: Capability | 'public' } | undefined)?.capability;
  if (!capability) throw new Error(`${op.method} ${op.path}: no route declares it`);
  return capability;
}

// A role without the route's capability is refused when the request arrives, before its query or
// body is read (auth.hook.ts, onRequest): for those the cases that read input would all test one
// thing, so the role gets the path cases and a few others, not the megabyte bodies.
const beforeInput = /^(path |header |query unknownParameter|body invalid JSON|body JSON null|body wrong content-type|body valid sample)/;

async function walk(account: Account, own: Record<string, string> = {}): Promise<{ faults: Fault[]; sent: number }> {
  const faults: Fault[] = [];
  let sent = 0;
  for (const op of operations) {
    const key = `${op.method} ${op.path}`;
    if (key in notExercised) continue;
    const unknown = Object.fromEntries(op.parameters.filter((p) => p.in === 'path').map((p) => [p.name, randomUUID()]));
    const capability = capabilityOf(op);
    const refused = capability !== 'public' && !roleHas(account.role as 'customer', capability);
    const requests = badRequestsFor(op, idsFor(op, unknown, own), unknown).filter((r) => !refused || beforeInput.test(r.name));
    const raw = rawBodies[key];
    if (raw) for (const payload of raw.payloads) requests.push({ name: `raw ${payload.slice(0, 20)}`, method: op.method, url: op.path, payload, headers: { 'content-type': raw.contentType } });
    faults.push(...(await run(account, requests, refused)));
    sent += requests.length;
    await stillSignedIn(account);
  }
  return { faults, sent };
}

/** Every object in a sample body, by its path: where an unknown key can be slipped in. */
function objectPaths(v: unknown, at: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(v)) return v.flatMap((x, i) => objectPaths(x, [...at, i]));
  if (v && typeof v === 'object') return [at, ...Object.entries(v).flatMap(([k, x]) => objectPaths(x, [...at, k]))];
  return [];
}

describe('bad input', () => {
  it('lists only operations that are in the document as not exercised, each with a reason', () => {
    const keys = new Set(operations.map((op) => `${op.method} ${op.path}`));
    for (const [key, reason] of Object.entries(notExercised)) {
      expect(keys.has(key), `${key} is in the document: exercise it`).toBe(false);
      expect(reason.length).toBeGreaterThan(20);
    }
    for (const key of Object.keys(rawBodies)) expect(keys.has(key), `${key} is not in the document`).toBe(true);
  });

  it('names the problems that were 500s: a year PostgreSQL cannot store, an overlong or badly encoded path', async () => {
    const admin = await desk.as('admin');
    const get = (url: string) => desk.request(admin, 'GET', url);
    for (const [url, field] of [
      ['/api/v1/tickets?updatedSince=0000-01-01T00:00:00Z', 'updatedSince'],
      ['/api/v1/reports/agents?from=0000-06-01T00:00:00Z', 'from'],
      ['/api/v1/reports/agents?to=9999-12-31T23:00:00-14:00', 'to'],
    ]) {
      const res = await get(url);
      expect(res.status, url).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'invalid_request', field });
    }
    const due = await desk.request(admin, 'POST', `/api/v1/tickets/${realIds.tickets}/follow-ups`, { dueAt: '9999-12-31T23:59:59-14:00', note: 'far away' });
    expect(due.status).toBe(400);
    expect(due.body.error).toMatchObject({ code: 'invalid_request', field: 'dueAt' });
    expect((await get(`/api/v1/tickets/${'a'.repeat(101)}`)).body.error.code).toBe('path_too_long');
    expect((await get('/api/v1/tickets/%E0%A4%A')).body.error.code).toBe('invalid_url');
    expect((await get('/api/v1/tickets/%E0%A4%A')).status).toBe(400);
  });

  it('names a query parameter, a body or a body field that an operation does not take, instead of ignoring it', { timeout: 300_000 }, async () => {
    const admin = await desk.as('admin');
    const faults: string[] = [];
    let bodiless = 0;
    for (const op of operations) {
      const key = `${op.method} ${op.path}`;
      if (key in notExercised || capabilityOf(op) === 'public') continue;
      const unknown = Object.fromEntries(op.parameters.filter((p) => p.in === 'path').map((p) => [p.name, randomUUID()]));
      const url = op.path.replace(/\{(\w+)\}/g, (_, name: string) => unknown[name]);
      const valid = op.body ? JSON.stringify(sampleOf(op.body)) : undefined;
      const tries = [{ what: 'unknownParameter', url: `${url}?unknownParameter=1`, payload: valid }];
      // An unknown key in the body, at the top and in every object inside it.
      const sample = op.body ? sampleOf(op.body) : undefined;
      for (const at of objectPaths(sample)) {
        const body = structuredClone(sample) as Record<string, unknown>;
        const target = at.reduce<any>((o, k) => o[k], body);
        target.unknownField = 1;
        tries.push({ what: [...at, 'unknownField'].join('.'), url, payload: JSON.stringify(body) });
      }
      if (op.method !== 'GET' && !op.body && !(key in rawBodies)) {
        bodiless++;
        tries.push({ what: 'body', url, payload: JSON.stringify({ unexpected: 'field' }) });
      }
      for (const t of tries) {
        const res = await desk.app.inject({ method: op.method as 'GET', url: t.url, payload: t.payload, headers: { ...admin.headers, ...(t.payload ? { 'content-type': 'application/json' } : {}) } });
        const error = res.json().error;
        // Named as the field, or among the issues when the sample has another one (a calendar's hours).
        const named = error?.field === t.what || error?.issues?.some((i: { field: string }) => i.field === t.what);
        if (res.statusCode !== 400 || error?.code !== 'invalid_request' || !named) faults.push(`${key} with ${t.what}: ${res.statusCode} ${res.body.slice(0, 120)}`);
      }
    }
    // Optional objects a sample leaves out, and the sign-in, which the walk skips as public.
    const file = { filename: 'a.txt', contentBase64: 'YQ==', unknownField: 1 };
    for (const [url, body, field] of [
      ['/api/v1/auth/login', { email: admin.email, password: admin.password, unknownField: 1 }, 'unknownField'],
      ['/api/v1/tickets', { subject: 's', channel: 'api', body: 'b', requester: { email: 'x@example.com', unknownField: 1 } }, 'requester.unknownField'],
      ['/api/v1/tickets', { subject: 's', channel: 'api', body: 'b', requester: { email: 'x@example.com' }, attachments: [file] }, 'attachments.0.unknownField'],
    ] as const) {
      const res = await desk.request(admin, 'POST', url, body);
      if (res.status !== 400 || res.body.error?.field !== field) faults.push(`POST ${url} with ${field}: ${res.status} ${JSON.stringify(res.body).slice(0, 120)}`);
    }
    expect(faults).toEqual([]);
    // Routes without a body exist (retry, acknowledge, delete …): the second half really ran.
    expect(bodiless).toBeGreaterThan(5);
  });

  // Hundreds of requests: a busy two-core machine running other suites beside it needs more than the default minute.
  it('never answers an admin 500, and every refusal is a documented error code', { timeout: 300_000 }, async () => {
    const admin = await desk.as('admin');
    const { faults, sent } = await walk(admin);
    expect(faults).toEqual([]);
    // The walk really went through the API: an empty document would pass everything above.
    expect(operations.length).toBeGreaterThan(50);
    expect(sent).toBeGreaterThan(operations.length * 20);
  });

  it('never answers a portal customer 500, and every refusal is a documented error code', { timeout: 300_000 }, async () => {
    const customer = await portalCustomer(desk, await desk.as('admin'), 'Portal Bad Input');
    const own = await ok(desk.request(customer, 'POST', '/api/v1/tickets', { subject: 'Mine', channel: 'portal', body: 'my own ticket' }), 'customer ticket');
    const { faults, sent } = await walk(customer, { tickets: own.id });
    expect(faults).toEqual([]);
    expect(sent).toBeGreaterThan(operations.length * 5);
  });
});

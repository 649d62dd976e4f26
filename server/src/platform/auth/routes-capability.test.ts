import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDesk, type TestDesk } from '../../../test/harness.js';
import { routesOf } from '../../app.js';
import { registerErrorHandler } from '../errors.js';
import { capabilities } from '../permissions.js';
import { registerAuthHook } from './auth.hook.js';

let desk: TestDesk;

beforeAll(async () => {
  desk = await startDesk();
});
afterAll(async () => desk?.close());

const methodsOf = (m: string | string[]) => (Array.isArray(m) ? m : [m]);

describe('every route declares a capability', () => {
  it('collects the whole API, not an empty list', () => {
    const urls = routesOf(desk.app).map((r) => r.url);
    // A few routes from each module: if route collection broke, the check below would pass vacuously.
    for (const url of ['/api/v1/auth/login', '/api/v1/tickets/:id', '/api/v1/customers', '/api/v1/staff', '/api/v1/teams', '/api/v1/jobs', '/api/v1/webhooks', '/api/v1/realtime', '/api/docs/json', '/healthz']) {
      expect(urls).toContain(url);
    }
  });

  it('names a known capability on each route', () => {
    const known = Object.keys(capabilities);
    // HEAD twins of GET routes are checked too: they inherit the GET route's config.
    const missing = routesOf(desk.app)
      .filter((r) => {
        const capability = (r.config as { capability?: string } | undefined)?.capability;
        return !capability || !known.includes(capability);
      })
      .map((r) => `${methodsOf(r.method).join(',')} ${r.url}`);
    expect(missing).toEqual([]);
  });

  it('documents a success answer on each API route (the WebSocket excepted)', () => {
    const undocumented = routesOf(desk.app)
      .filter((r) => r.url.startsWith('/api/v1/') && r.url !== '/api/v1/realtime')
      .filter((r) => !Object.keys((r.config as { responses?: object } | undefined)?.responses ?? {}).some((status) => status.startsWith('2')))
      .map((r) => `${methodsOf(r.method).join(',')} ${r.url}`);
    expect(undocumented).toEqual([]);
  });

  it('keeps the sign-in-free list short and deliberate', () => {
    const open = routesOf(desk.app)
      .filter((r) => (r.config as { capability?: string } | undefined)?.capability === 'public')
      .filter((r) => !r.url.startsWith('/api/docs'))
      .flatMap((r) => methodsOf(r.method).filter((m) => m !== 'HEAD').map((m) => `${m} ${r.url}`));
    expect(open.sort()).toEqual(['GET /api/openapi.json', 'GET /healthz', 'POST /api/v1/auth/login']);
  });

  it('refuses at run time a route that declares none', async () => {
    const app = Fastify();
    registerErrorHandler(app);
    registerAuthHook(app, desk.ctx);
    let ran = false;
    app.get('/undeclared', async () => {
      ran = true;
      return { secret: 'data' };
    });
    app.get('/declared', { config: { capability: 'public' } }, async () => ({ ok: true }));
    const refused = await app.inject({ method: 'GET', url: '/undeclared' });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('forbidden');
    expect(ran).toBe(false);
    // The same app answers a declared route, so the refusal above is about the missing capability.
    expect((await app.inject({ method: 'GET', url: '/declared' })).statusCode).toBe(200);
    await app.close();
  });
});

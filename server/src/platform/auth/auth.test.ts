import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDesk, type Account, type TestDesk } from '../../../test/harness.js';
import { portalCustomer } from '../../../test/portal-customer.js';
import { users } from '../../modules/users/users.table.js';
import { ManualClock } from '../clock.js';
import { authenticate, forgetAuthenticated } from './auth.service.js';
import { apiTokens, sessions } from './auth.table.js';

const clock = new ManualClock(new Date('2026-03-02T09:00:00Z'));
let desk: TestDesk;
let admin: Account;

beforeAll(async () => {
  desk = await startDesk({ clock });
  admin = await desk.as('admin');
  // The tests move the clock past session lifetimes; a personal token keeps the admin signed in throughout.
  const made = await desk.request(admin, 'POST', '/api/v1/auth/tokens', { name: 'test admin' });
  admin = { ...admin, token: made.body.token, headers: { authorization: `Bearer ${made.body.token}` } };
});
afterAll(async () => desk?.close());

let n = 0;
/** A staff member made through the API, so the password goes through the real hashing path. */
async function staff(password = 'a long enough password') {
  const email = `staff${++n}@desk.test`;
  const res = await desk.request(admin, 'POST', '/api/v1/staff', { email, name: `Staff ${n}`, role: 'agent', password });
  expect(res.status).toBe(201);
  return { id: res.body.id as string, email, password };
}

const login = (email: string, password: string) => desk.request(null, 'POST', '/api/v1/auth/login', { email, password });
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const cookie = (token: string) => ({ cookie: `frontline_session=${token}` });

describe('sessions', () => {
  it('signs in with a token usable as Bearer and an httpOnly, SameSite=Lax cookie on /', async () => {
    const u = await staff();
    const res = await login(u.email, u.password);
    expect(res.status).toBe(200);
    expect(res.body.token).toMatch(/^fls_/);
    expect(res.body.csrfToken).toEqual(expect.any(String));
    expect(res.body.user).toMatchObject({ id: u.id, email: u.email, role: 'agent' });

    const setCookie = [res.headers['set-cookie']].flat().find((c) => String(c).startsWith('frontline_session=')) as string;
    expect(setCookie).toBeDefined();
    const parts = setCookie.split(';').map((p) => p.trim());
    expect(parts[0]).toBe(`frontline_session=${res.body.token}`);
    expect(parts).toContain('HttpOnly');
    expect(parts).toContain('SameSite=Lax');
    expect(parts).toContain('Path=/');
    expect(parts.some((p) => p.startsWith('Expires='))).toBe(true);

    const me = await desk.request(null, 'GET', '/api/v1/auth/me', undefined, bearer(res.body.token));
    expect(me.status).toBe(200);
    expect(me.body.id).toBe(u.id);
    const viaCookie = await desk.request(null, 'GET', '/api/v1/auth/me', undefined, cookie(res.body.token));
    expect(viaCookie.status).toBe(200);
    expect(viaCookie.body.id).toBe(u.id);
  });

  it('marks the cookie Secure when the desk is served over HTTPS', { timeout: 240_000 }, async () => { // three desks of its own
    const secure = await startDesk({ env: { FRONTLINE_COOKIE_SECURE: '1' } });
    try {
      const a = await secure.as('agent');
      const res = await secure.request(null, 'POST', '/api/v1/auth/login', { email: a.email, password: a.password });
      const setCookie = String([res.headers['set-cookie']].flat()[0]);
      expect(setCookie.split(';').map((p) => p.trim())).toEqual(expect.arrayContaining(['Secure', 'HttpOnly', 'SameSite=Lax', 'Path=/']));
    } finally {
      await secure.close();
    }
    // An https public address means HTTPS too, unless the setting says otherwise (a proxy on plain HTTP in a lab).
    for (const [env, secureCookie] of [
      [{ FRONTLINE_PUBLIC_URL: 'https://help.example.com' }, true],
      [{ FRONTLINE_PUBLIC_URL: 'https://help.example.com', FRONTLINE_COOKIE_SECURE: '0' }, false],
    ] as const) {
      const d = await startDesk({ env });
      try {
        const a = await d.as('agent');
        const res = await d.request(null, 'POST', '/api/v1/auth/login', { email: a.email, password: a.password });
        expect(String([res.headers['set-cookie']].flat()[0]).split(';').map((p) => p.trim()).includes('Secure')).toBe(secureCookie);
      } finally {
        await d.close();
      }
    }
    // And not when it is not: a Secure cookie would never come back over plain HTTP.
    const u = await staff();
    expect(String([(await login(u.email, u.password)).headers['set-cookie']].flat()[0])).not.toMatch(/;\s*Secure/);
  });

  it('refuses a wrong password, an unknown address and a made-up token alike', async () => {
    const u = await staff();
    const wrong = await login(u.email, 'not the password');
    const unknown = await login('nobody@desk.test', 'whatever it is');
    expect(wrong.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
    expect(wrong.body.error.code).toBe('invalid_credentials');
    const forged = await desk.request(null, 'GET', '/api/v1/auth/me', undefined, bearer('fls_forged'));
    expect(forged.status).toBe(401);
    expect(forged.body.error.code).toBe('unauthenticated');
    expect((await desk.request(null, 'GET', '/api/v1/auth/me')).status).toBe(401);
  });

  it('asks cookie sessions, and only them, for the CSRF token on unsafe requests', async () => {
    const u = await staff();
    const a = (await login(u.email, u.password)).body;
    const b = (await login(u.email, u.password)).body;
    const make = (headers: Record<string, string>) => desk.request(null, 'POST', '/api/v1/auth/tokens', { name: 'ci' }, headers);

    const missing = await make(cookie(a.token));
    expect(missing.status).toBe(403);
    expect(missing.body.error.code).toBe('csrf_failed');
    expect((await make({ ...cookie(a.token), 'x-csrf-token': 'csrf_guess' })).body.error.code).toBe('csrf_failed');
    // Another session's CSRF token does not fit this session.
    expect((await make({ ...cookie(a.token), 'x-csrf-token': b.csrfToken })).body.error.code).toBe('csrf_failed');
    expect((await make({ ...cookie(a.token), 'x-csrf-token': a.csrfToken })).status).toBe(201);
    expect((await make(bearer(a.token))).status).toBe(201);
    // Safe methods pass with the cookie alone; the refused attempts left nothing behind.
    const list = await desk.request(null, 'GET', '/api/v1/auth/tokens', undefined, cookie(a.token));
    expect(list.status).toBe(200);
    expect(list.body.data).toHaveLength(2);
  });

  it('reads no more than a sign-in needs before anyone is signed in', async () => {
    const huge = await desk.request(null, 'POST', '/api/v1/auth/login', { email: 'a@b.co', password: 'x'.repeat(1024), padding: 'y'.repeat(2 * 1024 * 1024) });
    expect(huge.status).toBe(413);
    expect(huge.body.error.code).toBe('payload_too_large');
  });

  it('shows when each API token was last used', async () => {
    const u = await staff();
    const s = (await login(u.email, u.password)).body;
    const made = (await desk.request(null, 'POST', '/api/v1/auth/tokens', { name: 'nightly export' }, bearer(s.token))).body;
    const lastUsed = async () => (await desk.request(null, 'GET', '/api/v1/auth/tokens', undefined, bearer(s.token))).body.data.find((t: { id: string }) => t.id === made.id).lastUsedAt;
    expect(await lastUsed()).toBeNull();
    expect((await desk.request(null, 'GET', '/api/v1/auth/me', undefined, bearer(made.token))).status).toBe(200);
    expect(await lastUsed()).toBe(clock.now().toISOString());
    clock.advance(3 * 3600_000);
    forgetAuthenticated();
    expect((await desk.request(null, 'GET', '/api/v1/auth/me', undefined, bearer(made.token))).status).toBe(200);
    expect(await lastUsed()).toBe(clock.now().toISOString());
  });

  it('ends a session on logout, for Bearer and cookie alike', async () => {
    const u = await staff();
    const s = (await login(u.email, u.password)).body;
    const other = (await login(u.email, u.password)).body;
    const out = await desk.request(null, 'POST', '/api/v1/auth/logout', undefined, bearer(s.token));
    expect(out.status).toBe(204);
    expect((await desk.request(null, 'GET', '/api/v1/auth/me', undefined, bearer(s.token))).status).toBe(401);
    expect((await desk.request(null, 'GET', '/api/v1/auth/me', undefined, cookie(s.token))).status).toBe(401);
    // Only that session ended.
    expect((await desk.request(null, 'GET', '/api/v1/auth/me', undefined, bearer(other.token))).status).toBe(200);

    const viaCookie = await desk.request(null, 'POST', '/api/v1/auth/logout', undefined, { ...cookie(other.token), 'x-csrf-token': other.csrfToken });
    expect(viaCookie.status).toBe(204);
    expect(String([viaCookie.headers['set-cookie']].flat()[0])).toMatch(/^frontline_session=;/);
    expect((await desk.request(null, 'GET', '/api/v1/auth/me', undefined, cookie(other.token))).status).toBe(401);
  });

  it('refuses a session once it expires', async () => {
    const u = await staff();
    const s = (await login(u.email, u.password)).body;
    expect(new Date(s.expiresAt).getTime()).toBe(clock.now().getTime() + desk.ctx.config.sessionDays * 86400_000);
    clock.advance(desk.ctx.config.sessionDays * 86400_000 - 60_000);
    expect((await desk.request(null, 'GET', '/api/v1/auth/me', undefined, bearer(s.token))).status).toBe(200);
    clock.advance(60_000);
    const expired = await desk.request(null, 'GET', '/api/v1/auth/me', undefined, bearer(s.token));
    expect(expired.status).toBe(401);
    expect(expired.body.error.code).toBe('unauthenticated');
    expect((await desk.request(null, 'GET', '/api/v1/auth/me', undefined, cookie(s.token))).status).toBe(401);
  });

  it('refuses the sessions and tokens of a deactivated account', async () => {
    const u = await staff();
    const s = (await login(u.email, u.password)).body;
    const t = (await desk.request(null, 'POST', '/api/v1/auth/tokens', { name: 'script' }, bearer(s.token))).body.token;
    expect((await desk.request(admin, 'PATCH', `/api/v1/staff/${u.id}`, { active: false })).status).toBe(200);
    expect((await desk.request(null, 'GET', '/api/v1/auth/me', undefined, bearer(s.token))).status).toBe(401);
    expect((await desk.request(null, 'GET', '/api/v1/auth/me', undefined, bearer(t))).status).toBe(401);
    expect((await login(u.email, u.password)).status).toBe(401);
  });

  it('does not keep credentials looked up while a write that may have changed them finished', async () => {
    const u = await staff();
    const s = (await login(u.email, u.password)).body;
    const reading = authenticate(desk.ctx, s.token); // a read's lookup in flight …
    forgetAuthenticated(); // … while a write (say, deactivating this account) answers
    expect(await reading).not.toBeNull();
    // Changed behind the app's back: only a fresh lookup can notice.
    await desk.ctx.db.update(users).set({ active: false }).where(eq(users.id, u.id));
    expect(await authenticate(desk.ctx, s.token)).toBeNull();
  });
});

describe('password change', () => {
  it('ends the sessions that knew the old password', async () => {
    const u = await staff();
    const s = (await login(u.email, u.password)).body;
    const changed = await desk.request(admin, 'PATCH', `/api/v1/staff/${u.id}`, { password: 'a brand new password' });
    expect(changed.status).toBe(200);
    expect((await desk.request(null, 'GET', '/api/v1/auth/me', undefined, bearer(s.token))).status).toBe(401);
    expect((await login(u.email, u.password)).status).toBe(401);
    expect((await login(u.email, 'a brand new password')).status).toBe(200);
    // Other changes leave sessions alone.
    const t = (await login(u.email, 'a brand new password')).body;
    expect((await desk.request(admin, 'PATCH', `/api/v1/staff/${u.id}`, { name: 'Renamed' })).status).toBe(200);
    expect((await desk.request(null, 'GET', '/api/v1/auth/me', undefined, bearer(t.token))).status).toBe(200);
  });
});

describe('login throttling', () => {
  it('locks an address for 15 minutes after 5 failures, even against the right password', async () => {
    const u = await staff();
    for (let i = 0; i < 4; i++) expect((await login(u.email, 'wrong password')).status).toBe(401);
    // A success clears the count.
    expect((await login(u.email, u.password)).status).toBe(200);
    for (let i = 0; i < 5; i++) expect((await login(u.email.toUpperCase(), `wrong ${i}`)).status).toBe(401);

    const locked = await login(u.email, u.password);
    expect(locked.status).toBe(429);
    expect(locked.body.error.code).toBe('too_many_attempts');
    expect(locked.body.token).toBeUndefined();
    // Other addresses are not affected.
    const neighbour = await staff();
    expect((await login(neighbour.email, neighbour.password)).status).toBe(200);

    clock.advance(14 * 60_000);
    expect((await login(u.email, u.password)).status).toBe(429);
    clock.advance(60_000 + 1);
    const again = await login(u.email, u.password);
    expect(again.status).toBe(200);
    expect(again.body.token).toMatch(/^fls_/);
  });
});

describe('login throttling under a burst', () => {
  it('checks at most 5 passwords of 20 guesses sent at once', async () => {
    const u = await staff();
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => login(u.email, `parallel guess ${i}`)));
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(15);
    clock.advance(15 * 60_000 + 1);
  });
});

describe('login throttling by origin', () => {
  it('stops one address of origin guessing across many accounts, and leaves others alone', async () => {
    const u = await staff();
    const from = (remoteAddress: string, email: string, password: string) =>
      desk.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password }, remoteAddress });
    for (let i = 0; i < 50; i++) expect((await from('203.0.113.7', `nobody${i}@example.com`, 'guess')).statusCode).toBe(401);
    const stopped = await from('203.0.113.7', u.email, u.password);
    expect(stopped.statusCode).toBe(429);
    expect(stopped.json().error.code).toBe('too_many_attempts');
    expect((await from('198.51.100.4', u.email, u.password)).statusCode).toBe(200);
    clock.advance(15 * 60_000 + 1);
    expect((await from('203.0.113.7', u.email, u.password)).statusCode).toBe(200);
  });
});

describe('passwords', () => {
  it('stores argon2id hashes and never returns them', async () => {
    const u = await staff('a secret phrase of mine');
    const [row] = await desk.ctx.db.select({ hash: users.passwordHash }).from(users).where(eq(users.id, u.id));
    expect(row.hash).toMatch(/^\$argon2id\$/);
    expect(row.hash).not.toContain('a secret phrase of mine');

    const customer = await portalCustomer(desk, admin, 'Ali Rezaei');
    const [crow] = await desk.ctx.db.select({ hash: users.passwordHash }).from(users).where(eq(users.id, customer.id));
    expect(crow.hash).toMatch(/^\$argon2id\$/);

    const s = (await login(u.email, u.password)).body;
    const answers = [
      await desk.request(admin, 'GET', '/api/v1/staff'),
      await desk.request(admin, 'GET', `/api/v1/staff/${u.id}`),
      await desk.request(null, 'GET', '/api/v1/auth/me', undefined, bearer(s.token)),
      await desk.request(admin, 'PATCH', `/api/v1/staff/${u.id}`, { password: 'another long password' }),
      await login(u.email, 'another long password'),
    ];
    expect(answers[0].body.data.length).toBeGreaterThan(1);
    const keys = new Set<string>();
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) keys.add(k), walk(x);
    };
    for (const a of answers) {
      expect(a.status).toBe(200);
      walk(a.body);
      expect(JSON.stringify(a.body)).not.toMatch(/argon2|secret phrase|another long password/);
    }
    // The one allowed: a yes/no flag saying the password must be changed, not anything of the password.
    expect([...keys].filter((k) => /pass|hash/i.test(k) && k !== 'mustChangePassword')).toEqual([]);
  });
});

describe('personal API tokens', () => {
  it('shows the token once, lists it without the secret, and revokes it', async () => {
    const u = await staff();
    const s = (await login(u.email, u.password)).body;
    const made = await desk.request(null, 'POST', '/api/v1/auth/tokens', { name: 'Reporting script' }, bearer(s.token));
    expect(made.status).toBe(201);
    const { id, token } = made.body;
    expect(token).toMatch(/^flt_/);

    const me = await desk.request(null, 'GET', '/api/v1/auth/me', undefined, bearer(token));
    expect(me.status).toBe(200);
    expect(me.body.id).toBe(u.id);
    // A token needs no CSRF header: it is never sent by a browser on its own.
    expect((await desk.request(null, 'PATCH', '/api/v1/me', { name: 'Renamed by script' }, bearer(token))).status).toBe(200);

    const list = await desk.request(null, 'GET', '/api/v1/auth/tokens', undefined, bearer(token));
    expect(list.body.data).toEqual([expect.objectContaining({ id, name: 'Reporting script' })]);
    expect(JSON.stringify(list.body)).not.toContain(token);
    expect(list.body.data[0]).not.toHaveProperty('token');
    expect(list.body.data[0]).not.toHaveProperty('tokenHash');
    const [stored] = await desk.ctx.db.select().from(apiTokens).where(eq(apiTokens.id, id));
    expect(stored.tokenHash).not.toContain(token);

    // Someone else cannot revoke it, nor see it.
    const other = await desk.as('manager');
    expect((await desk.request(other, 'DELETE', `/api/v1/auth/tokens/${id}`)).status).toBe(404);
    expect((await desk.request(other, 'GET', '/api/v1/auth/tokens')).body.data).toEqual([]);
    expect((await desk.request(null, 'GET', '/api/v1/auth/me', undefined, bearer(token))).status).toBe(200);

    expect((await desk.request(null, 'DELETE', `/api/v1/auth/tokens/${id}`, undefined, bearer(s.token))).status).toBe(204);
    const revoked = await desk.request(null, 'GET', '/api/v1/auth/me', undefined, bearer(token));
    expect(revoked.status).toBe(401);
    expect(revoked.body.error.code).toBe('unauthenticated');
    expect((await desk.request(null, 'DELETE', `/api/v1/auth/tokens/${id}`, undefined, bearer(s.token))).status).toBe(404);
  });

  it('keeps only hashes of session tokens in the database', async () => {
    const u = await staff();
    const s = (await login(u.email, u.password)).body;
    const rows = await desk.ctx.db.select({ tokenHash: sessions.tokenHash }).from(sessions).where(eq(sessions.userId, u.id));
    expect(rows).toHaveLength(1);
    expect(rows[0].tokenHash).not.toContain(s.token.slice(4));
  });
});

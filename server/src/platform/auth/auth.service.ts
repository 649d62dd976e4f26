import { and, eq, gt, inArray, ne, or, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { teamMembers } from '../../modules/teams/teams.table.js';
import { users } from '../../modules/users/users.table.js';
import type { AppContext } from '../context.js';
import { AppError } from '../errors.js';
import { lockKeys } from '../locks.js';
import type { Actor, Role } from '../permissions.js';
import { apiTokens, loginFailures, sessions } from './auth.table.js';
import { hashPassword, hashToken, newToken, verifyPassword } from './secrets.js';

const FAILURE_WINDOW_MS = 15 * 60 * 1000;
const MAX_FAILURES_PER_EMAIL = 5;
const MAX_FAILURES_PER_IP = 50;

type UserRow = typeof users.$inferSelect;

function toActor(user: UserRow, teamIds: string[], via: Actor['via']): Actor {
  return {
    userId: user.id,
    role: user.role as Role,
    name: user.name,
    email: user.email,
    language: user.language,
    customerId: user.customerId,
    teamIds,
    via,
    mustChangePassword: user.mustChangePassword,
  };
}

async function actorFor(ctx: AppContext, user: UserRow, via: Actor['via']): Promise<Actor> {
  const memberships =
    user.role === 'customer'
      ? []
      : await ctx.db.select({ teamId: teamMembers.teamId }).from(teamMembers).where(eq(teamMembers.userId, user.id));
  return toActor(
    user,
    memberships.map((m) => m.teamId),
    via,
  );
}

/** A staff member's teams, read in the same statement as the user (one round trip per request). */
const teamIdsOfUser = sql<string[] | null>`(select json_agg(tm.team_id) from ${teamMembers} tm where tm.user_id = ${users.id} and ${users.role} <> 'customer')`;

/**
 * Writes the attempt down as a failure before the password is checked, while attempts on this
 * address take turns: a burst of parallel guesses is counted like guesses one by one.
 */
async function countAttempt(ctx: AppContext, address: string, ip: string | undefined) {
  const since = new Date(ctx.clock.now().getTime() - FAILURE_WINDOW_MS);
  await ctx.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${sql.raw(String(lockKeys.login))}, hashtext(${address}))`);
    const [{ byEmail, byIp }] = await tx
      .select({
        byEmail: sql<number>`count(*) filter (where ${loginFailures.email} = ${address})`.mapWith(Number),
        byIp: sql<number>`count(*) filter (where ${loginFailures.ip} = ${ip ?? null})`.mapWith(Number),
      })
      .from(loginFailures)
      .where(and(gt(loginFailures.createdAt, since), or(eq(loginFailures.email, address), ip ? eq(loginFailures.ip, ip) : undefined)));
    if (byEmail >= MAX_FAILURES_PER_EMAIL) {
      throw new AppError(429, 'too_many_attempts', 'Too many failed sign-ins for this address; try again in 15 minutes');
    }
    // Guessing across many addresses from one place is stopped too.
    if (byIp >= MAX_FAILURES_PER_IP) {
      throw new AppError(429, 'too_many_attempts', 'Too many failed sign-ins from your network; try again in 15 minutes');
    }
    await tx.insert(loginFailures).values({ email: address, ip, createdAt: ctx.clock.now() });
  });
}

export async function login(ctx: AppContext, email: string, password: string, ip: string | undefined) {
  const address = email.trim().toLowerCase();
  await countAttempt(ctx, address, ip);
  const [user] = await ctx.db.select().from(users).where(sql`lower(${users.email}) = ${address}`);
  // An unknown address costs the same hashing as a known one, so the answer's timing gives nothing away.
  const ok = (await verifyPassword(user?.active ? user.passwordHash : null, password)) && !!user;
  if (!ok) throw new AppError(401, 'invalid_credentials', 'Email or password is wrong');
  await ctx.db.delete(loginFailures).where(eq(loginFailures.email, address));
  const token = newToken('fls');
  const csrfToken = newToken('csrf');
  const expiresAt = new Date(ctx.clock.now().getTime() + ctx.config.sessionDays * 86400_000);
  await ctx.db.insert(sessions).values({ tokenHash: hashToken(token), userId: user.id, csrfToken, expiresAt });
  return { token, csrfToken, expiresAt, actor: await actorFor(ctx, user, 'session') };
}

/**
 * Changes the caller's own password. Whoever else held a session or API token of theirs is signed
 * out; the credential making this request stays valid. Guesses at the current password count
 * against sign-in attempts, so a stolen session cannot try passwords faster than the login form.
 */
export async function changePassword(ctx: AppContext, actor: Actor, credential: string, currentPassword: string, newPassword: string, ip: string | undefined) {
  const address = actor.email.trim().toLowerCase();
  await countAttempt(ctx, address, ip);
  const [user] = await ctx.db.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, actor.userId));
  if (!(await verifyPassword(user?.passwordHash ?? null, currentPassword))) throw new AppError(403, 'wrong_password', 'The current password is wrong');
  await ctx.db.delete(loginFailures).where(eq(loginFailures.email, address));
  if (newPassword === currentPassword) throw new AppError(400, 'password_unchanged', 'The new password must differ from the current one');
  const passwordHash = await hashPassword(newPassword);
  await ctx.db.transaction(async (tx) => {
    await tx.update(users).set({ passwordHash, mustChangePassword: false, updatedAt: ctx.clock.now() }).where(eq(users.id, actor.userId));
    await endCredentials(tx, actor.userId, credential);
  });
  forgetAuthenticated();
}

/**
 * Signs a user out everywhere: every session and personal API token of theirs stops working, except
 * `keep` (the credential making the request, when they act on themselves). Call forgetAuthenticated after commit.
 */
export async function endCredentials(tx: DbOrTx, userId: string, keep?: string) {
  const kept = keep ? hashToken(keep) : undefined;
  await tx.delete(sessions).where(and(eq(sessions.userId, userId), kept ? ne(sessions.tokenHash, kept) : undefined));
  await tx.delete(apiTokens).where(and(eq(apiTokens.userId, userId), kept ? ne(apiTokens.tokenHash, kept) : undefined));
}

export async function logout(ctx: AppContext, token: string) {
  await ctx.db.delete(sessions).where(eq(sessions.tokenHash, hashToken(token)));
  forgetAuthenticated();
}

export type Authenticated = { actor: Actor; csrfToken: string | null };

/**
 * Credentials verified in the last two seconds, so a client's burst of reads costs one lookup.
 * Emptied by every write request on this process (sign-outs, revoked tokens, deactivated staff,
 * changed roles or teams take effect at once here), and on every node when the database's notice
 * of such a change arrives (credentials-notice.ts); AUTH_CACHE_MS bounds a notice that was lost.
 * Unknown or refused credentials are never kept. See docs/decisions/0005-auth-cache.md.
 */
export const AUTH_CACHE_MS = 2000;
const AUTH_CACHE_MAX = 10_000;
const recent = new Map<string, { at: number; found: Authenticated; expiresAt: Date | null }>();
/** Counts clearings: a lookup that started before one may have read what the write just changed. */
let cleared = 0;

const onForget = new Set<() => void>();

/** Calls `fn` whenever a write on any node may have changed who may do what; returns the way to stop. */
export function onCredentialsChanged(fn: () => void): () => void {
  onForget.add(fn);
  return () => onForget.delete(fn);
}

export function forgetAuthenticated() {
  recent.clear();
  cleared++;
  for (const fn of onForget) fn();
}

/** Finds who a session or API token belongs to; null when it is unknown, expired or disabled. */
export async function authenticate(ctx: AppContext, token: string): Promise<Authenticated | null> {
  const tokenHash = hashToken(token);
  const hit = recent.get(tokenHash);
  if (hit && performance.now() - hit.at < AUTH_CACHE_MS) {
    if (hit.expiresAt && hit.expiresAt <= ctx.clock.now()) return null;
    return { actor: { ...hit.found.actor, teamIds: [...hit.found.actor.teamIds] }, csrfToken: hit.found.csrfToken };
  }
  const clearedBefore = cleared;
  const found = await lookUp(ctx, token, tokenHash);
  if (found && clearedBefore === cleared) {
    if (recent.size >= AUTH_CACHE_MAX) recent.clear();
    recent.set(tokenHash, { at: performance.now(), found: found.authenticated, expiresAt: found.expiresAt });
  }
  if (found) return { actor: { ...found.authenticated.actor, teamIds: [...found.authenticated.actor.teamIds] }, csrfToken: found.authenticated.csrfToken };
  recent.delete(tokenHash);
  return null;
}

type Found = { authenticated: Authenticated; expiresAt: Date | null };

const apiTokenRows = (ctx: AppContext, where: SQL) =>
  ctx.db.select({ user: users, tokenHash: apiTokens.tokenHash, teamIds: teamIdsOfUser }).from(apiTokens).innerJoin(users, eq(users.id, apiTokens.userId)).where(where);
const sessionRows = (ctx: AppContext, where: SQL) =>
  ctx.db
    .select({ user: users, tokenHash: sessions.tokenHash, csrfToken: sessions.csrfToken, expiresAt: sessions.expiresAt, teamIds: teamIdsOfUser })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(where);

function fromTokenRow(row: Awaited<ReturnType<typeof apiTokenRows>>[number]): Found | null {
  if (!row.user.active) return null;
  return { authenticated: { actor: toActor(row.user, row.teamIds ?? [], 'token'), csrfToken: null }, expiresAt: null };
}

function fromSessionRow(row: Awaited<ReturnType<typeof sessionRows>>[number], now: Date): Found | null {
  if (!row.user.active || row.expiresAt <= now) return null;
  return { authenticated: { actor: toActor(row.user, row.teamIds ?? [], 'session'), csrfToken: row.csrfToken }, expiresAt: row.expiresAt };
}

/**
 * Keeps a token's "last used" for its owner's token list. Written on a cache miss only, and at most
 * once a minute, so a busy integration does not write a row per request.
 */
async function noteTokenUse(ctx: AppContext, tokenHash: string) {
  const now = ctx.clock.now();
  await ctx.db
    .update(apiTokens)
    .set({ lastUsedAt: now })
    .where(and(eq(apiTokens.tokenHash, tokenHash), or(sql`${apiTokens.lastUsedAt} is null`, sql`${apiTokens.lastUsedAt} < ${new Date(now.getTime() - 60_000)}`)));
}

async function lookUp(ctx: AppContext, token: string, tokenHash: string): Promise<Found | null> {
  if (token.startsWith('flt_')) {
    const [row] = await apiTokenRows(ctx, eq(apiTokens.tokenHash, tokenHash));
    const found = row ? fromTokenRow(row) : null;
    if (found) await noteTokenUse(ctx, tokenHash);
    return found;
  }
  const [row] = await sessionRows(ctx, eq(sessions.tokenHash, tokenHash));
  return row ? fromSessionRow(row, ctx.clock.now()) : null;
}

/**
 * Who each of many tokens belongs to now, read fresh in at most two statements: a node's open
 * sockets recheck together. Tokens that no longer sign anyone in are absent from the answer.
 */
export async function authenticateAll(ctx: AppContext, tokens: string[]): Promise<Map<string, Authenticated>> {
  const tokenOf = new Map(tokens.map((t) => [hashToken(t), t]));
  const hashes = (api: boolean) => [...tokenOf].filter(([, t]) => t.startsWith('flt_') === api).map(([h]) => h);
  const [api, own] = [hashes(true), hashes(false)];
  const now = ctx.clock.now();
  const found = [
    ...(api.length ? await apiTokenRows(ctx, inArray(apiTokens.tokenHash, api)) : []).map((r) => [r.tokenHash, fromTokenRow(r)] as const),
    ...(own.length ? await sessionRows(ctx, inArray(sessions.tokenHash, own)) : []).map((r) => [r.tokenHash, fromSessionRow(r, now)] as const),
  ];
  return new Map(found.filter(([, f]) => f).map(([hash, f]) => [tokenOf.get(hash)!, f!.authenticated]));
}

export async function createApiToken(ctx: AppContext, actor: Actor, name: string) {
  const token = newToken('flt');
  const [row] = await ctx.db
    .insert(apiTokens)
    .values({ userId: actor.userId, name, tokenHash: hashToken(token) })
    .returning({ id: apiTokens.id, name: apiTokens.name, createdAt: apiTokens.createdAt });
  return { ...row, token };
}

export async function listApiTokens(ctx: AppContext, actor: Actor) {
  return ctx.db
    .select({ id: apiTokens.id, name: apiTokens.name, createdAt: apiTokens.createdAt, lastUsedAt: apiTokens.lastUsedAt })
    .from(apiTokens)
    .where(eq(apiTokens.userId, actor.userId));
}

export async function revokeApiToken(ctx: AppContext, actor: Actor, id: string) {
  const deleted = await ctx.db
    .delete(apiTokens)
    .where(and(eq(apiTokens.id, id), eq(apiTokens.userId, actor.userId)))
    .returning({ id: apiTokens.id });
  forgetAuthenticated();
  if (!deleted.length) throw new AppError(404, 'not_found', 'API token not found');
}

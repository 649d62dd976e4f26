import { and, asc, eq, inArray, ne, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import type { AppContext } from '../../platform/context.js';
import { hashPassword } from '../../platform/auth/secrets.js';
import { endCredentials, forgetAuthenticated } from '../../platform/auth/auth.service.js';
import { decodeCursor, encodeCursor } from '../../platform/cursor.js';
import { badRequest, conflict, notFound } from '../../platform/errors.js';
import { customerEmails, customers } from '../customers/customers.table.js';
import { scheduleDrainsForAgent } from '../dispatch/dispatch.triggers.js';
import { teamMembers, teams } from '../teams/teams.table.js';
import { users } from './users.table.js';
import { transactionLock } from '../../platform/locks.js';
import type { CreateStaffInput, ListStaffQuery, UpdateStaffInput } from './users.schema.js';

type UserRow = typeof users.$inferSelect;

export function presentUser(u: UserRow, teamIds: string[] = []) {
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    role: u.role,
    tier: u.tier,
    skills: u.skills,
    availability: u.availability,
    language: u.language,
    signature: u.signature,
    active: u.active,
    customerId: u.customerId,
    teamIds,
    createdAt: u.createdAt.toISOString(),
  };
}

async function emailFree(tx: DbOrTx, email: string) {
  const [taken] = await tx.select({ id: users.id }).from(users).where(sql`lower(${users.email}) = ${email.toLowerCase()}`);
  if (taken) throw conflict('email_taken', `An account with ${email} already exists`, { field: 'email' });
}

export async function teamIdsOf(tx: DbOrTx, userIds: string[]) {
  const map = new Map<string, string[]>();
  if (!userIds.length) return map;
  const rows = await tx.select().from(teamMembers).where(inArray(teamMembers.userId, userIds));
  for (const r of rows) map.set(r.userId, [...(map.get(r.userId) ?? []), r.teamId]);
  return map;
}

export async function createStaff(ctx: AppContext, input: CreateStaffInput) {
  const passwordHash = await hashPassword(input.password);
  return ctx.db.transaction(async (tx) => {
    await emailFree(tx, input.email);
    if (input.teamIds.length) {
      const found = await tx.select({ id: teams.id }).from(teams).where(inArray(teams.id, input.teamIds));
      if (found.length !== new Set(input.teamIds).size) throw badRequest('invalid_team', 'teamIds: unknown team', { field: 'teamIds' });
    }
    const [row] = await tx
      .insert(users)
      .values({
        email: input.email.toLowerCase(),
        name: input.name,
        role: input.role,
        passwordHash,
        tier: input.tier ?? (input.role === 'agent' ? 1 : null),
        skills: input.skills,
        language: input.language,
        signature: input.signature,
      })
      .returning();
    const teamIds = [...new Set(input.teamIds)];
    if (teamIds.length) await tx.insert(teamMembers).values(teamIds.map((teamId) => ({ teamId, userId: row.id })));
    return presentUser(row, teamIds);
  });
}

async function lockedState(tx: DbOrTx, userId: string) {
  const [row] = await tx.select({ availability: users.availability, active: users.active }).from(users).where(eq(users.id, userId)).for('update');
  return row;
}

async function isOnline(tx: DbOrTx, userId: string) {
  return (await lockedState(tx, userId))?.availability === 'online';
}

/** A desk nobody can configure cannot be mended from the app: the last active admin stays one. */
async function keepAnAdmin(tx: DbOrTx) {
  await tx.execute(transactionLock('admins'));
  const [{ n }] = await tx.select({ n: sql<number>`count(*)::int` }).from(users).where(and(eq(users.role, 'admin'), eq(users.active, true)));
  if (n === 0) throw conflict('last_admin', 'The desk needs at least one active admin: make someone else an admin first');
}

/**
 * `keep`: the credential of the caller, when they change themselves, which stays valid. A new
 * password, a deactivation or a re-activation signs the person out everywhere: whoever knew the old
 * password or held a token before the account was switched off gets nothing back.
 */
export async function updateStaff(ctx: AppContext, id: string, input: UpdateStaffInput, keep?: string) {
  const { password, ...fields } = input;
  const passwordHash = password ? await hashPassword(password) : undefined;
  const row = await ctx.db.transaction(async (tx) => {
    const before = await lockedState(tx, id);
    const [updated] = await tx
      .update(users)
      .set({ ...fields, ...(passwordHash ? { passwordHash, mustChangePassword: false } : {}), updatedAt: ctx.clock.now() })
      .where(and(eq(users.id, id), ne(users.role, 'customer')))
      .returning();
    if (!updated) return updated;
    if (fields.active === false || (fields.role && fields.role !== 'admin')) await keepAnAdmin(tx);
    if (before?.availability !== 'online' && updated.availability === 'online') await scheduleDrainsForAgent(tx, id, ctx.clock.now());
    if (passwordHash || before?.active !== updated.active) await endCredentials(tx, id, keep);
    return updated;
  });
  if (!row) throw notFound('Staff member');
  forgetAuthenticated();
  return presentUser(row, (await teamIdsOf(ctx.db, [id])).get(id) ?? []);
}

/** A page of staff by name, filtered by role, team, availability or a part of the name or address. */
export async function listStaff(ctx: AppContext, q: ListStaffQuery) {
  const where: (SQL | undefined)[] = [
    // Written out, not a parameter, so a prepared plan can use the staff list's partial index.
    sql`${users.role} <> 'customer'`,
    q.role ? eq(users.role, q.role) : undefined,
    q.availability ? eq(users.availability, q.availability) : undefined,
    q.teamId ? sql`${users.id} in (select user_id from team_members where team_id = ${q.teamId})` : undefined,
  ];
  if (q.q) {
    const like = `%${q.q.replace(/[%_\\]/g, '\\$&')}%`;
    where.push(sql`(strpos(lower(search_text(${users.name})), lower(search_text(${q.q}))) > 0 or ${users.email} ilike ${like})`);
  }
  const cursor = q.cursor ? decodeCursor(q.cursor, 'staff', 'text') : undefined;
  if (cursor) where.push(sql`(${users.name}, ${users.id}) > (${cursor.value}, ${cursor.id}::uuid)`);
  const rows = await ctx.db
    .select()
    .from(users)
    .where(and(...where))
    .orderBy(asc(users.name), asc(users.id))
    .limit(q.limit + 1);
  const page = rows.slice(0, q.limit);
  const teamIds = await teamIdsOf(ctx.db, page.map((r) => r.id));
  const last = page[page.length - 1];
  return {
    data: page.map((r) => presentUser(r, teamIds.get(r.id) ?? [])),
    nextCursor: rows.length > q.limit && last ? encodeCursor('staff', last.name, last.id) : null,
  };
}

export async function getStaff(ctx: AppContext, id: string) {
  const [row] = await ctx.db.select().from(users).where(and(eq(users.id, id), ne(users.role, 'customer')));
  if (!row) throw notFound('Staff member');
  return presentUser(row, (await teamIdsOf(ctx.db, [id])).get(id) ?? []);
}

export async function updateMe(ctx: AppContext, userId: string, fields: Partial<Pick<UserRow, 'name' | 'language' | 'availability' | 'signature'>>) {
  const row = await ctx.db.transaction(async (tx) => {
    const wasOnline = await isOnline(tx, userId);
    const [updated] = await tx.update(users).set({ ...fields, updatedAt: ctx.clock.now() }).where(eq(users.id, userId)).returning();
    if (!wasOnline && updated.availability === 'online') await scheduleDrainsForAgent(tx, userId, ctx.clock.now());
    return updated;
  });
  return presentUser(row, (await teamIdsOf(ctx.db, [userId])).get(userId) ?? []);
}

/** Gives a customer a portal sign-in; the address must be one of theirs. */
export async function createPortalAccount(ctx: AppContext, input: { customerId: string; email: string; password: string }) {
  const passwordHash = await hashPassword(input.password);
  return ctx.db.transaction(async (tx) => {
    const [customer] = await tx.select().from(customers).where(eq(customers.id, input.customerId));
    if (!customer) throw badRequest('invalid_customer', 'customerId: no such customer', { field: 'customerId' });
    const email = input.email.toLowerCase();
    const [owned] = await tx.select().from(customerEmails).where(eq(customerEmails.email, email));
    if (owned && owned.customerId !== customer.id) throw conflict('email_taken', `${email} belongs to another customer`, { field: 'email' });
    if (!owned) await tx.insert(customerEmails).values({ email, customerId: customer.id });
    await emailFree(tx, email);
    const [row] = await tx
      .insert(users)
      .values({ email, name: customer.name, role: 'customer', passwordHash, customerId: customer.id, language: customer.language })
      .returning();
    return presentUser(row);
  });
}

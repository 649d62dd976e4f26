import { count, ne } from 'drizzle-orm';
import type { AppContext } from './platform/context.js';
import { hashPassword, newPassword } from './platform/auth/secrets.js';
import { users } from './modules/users/users.table.js';

/**
 * On an empty database, makes the first admin. Returns the credentials to print once; a password
 * we generated must be changed, one the operator chose is kept.
 */
export async function ensureFirstAdmin(ctx: AppContext): Promise<{ email: string; password: string; generated: boolean } | null> {
  const [{ staff }] = await ctx.db.select({ staff: count() }).from(users).where(ne(users.role, 'customer'));
  if (staff > 0) return null;
  const email = (ctx.config.adminEmail ?? 'admin@frontline.local').toLowerCase();
  const generated = !ctx.config.adminPassword;
  const password = ctx.config.adminPassword ?? newPassword();
  const inserted = await ctx.db
    .insert(users)
    .values({ email, name: 'Administrator', role: 'admin', passwordHash: await hashPassword(password), mustChangePassword: generated, availability: 'online' })
    .onConflictDoNothing()
    .returning({ id: users.id });
  // Another node made it first.
  if (!inserted.length) return null;
  return { email, password, generated };
}

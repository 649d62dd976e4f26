import { count, sql } from 'drizzle-orm';
import { customerEmails } from '../modules/customers/customers.table.js';
import { tickets } from '../modules/tickets/tickets.table.js';
import { users } from '../modules/users/users.table.js';
import { hashPassword } from '../platform/auth/secrets.js';
import type { AppContext } from '../platform/context.js';
import { createPeople, DEMO_MARKER_EMAIL, type DemoPeople } from './demo-people.js';
import { seededRandom } from './demo-random.js';
import { createDemoTickets } from './demo-tickets.js';
import { transactionLock } from '../platform/locks.js';

/** Every demo account, staff and portal, signs in with this. */
export const DEMO_PASSWORD = 'frontline-demo';
export const DEMO_TICKETS = 300;
const DEMO_SEED = 20_260_101;

export type DemoLoaded = { tickets: number; password: string; sampleEmail: string };

async function alreadyUsed(ctx: AppContext | { db: AppContext['db'] }): Promise<boolean> {
  const [{ n }] = await ctx.db.select({ n: count() }).from(tickets);
  if (n > 0) return true;
  const marker = await ctx.db.select({ id: users.id }).from(users).where(sql`lower(${users.email}) = ${DEMO_MARKER_EMAIL}`);
  return marker.length > 0;
}

/**
 * Fills an empty desk with a realistic one: teams, staff in every role, customers writing in four
 * languages, and tickets with sixty days of history. Loads once: a desk that has tickets, or
 * already has the demo staff, is left alone (returns null). The tickets go through the ticket
 * services, so their timelines are real events.
 *
 * All of it is one transaction: a process stopped half way leaves nothing, and the next start
 * loads the demo in full. Another node starting meanwhile waits on the lock, then finds it loaded.
 */
export async function loadDemo(ctx: AppContext): Promise<DemoLoaded | null> {
  if (await alreadyUsed(ctx)) return null;
  const started = Date.now();
  const now = ctx.clock.now();
  const rnd = seededRandom(DEMO_SEED);
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const made = await ctx.db.transaction(async (tx) => {
    await tx.execute(transactionLock('demo'));
    const db = tx as unknown as AppContext['db'];
    if (await alreadyUsed({ db })) return null;
    ctx.log.info('loading the demo desk');
    const people: DemoPeople = await createPeople(tx, rnd, passwordHash, now);
    // The services open their own transactions: inside this one they become savepoints.
    const made = await createDemoTickets({ ...ctx, db }, rnd, people, DEMO_TICKETS, now);
    // Addresses come last: the replies in the history were "sent" long ago, and a customer without
    // an address has nothing queued to the email outbox while the history is replayed. All demo
    // addresses are on reserved domains (.example) in case something is still sent.
    await tx.insert(customerEmails).values(people.emails).onConflictDoNothing();
    return made;
  });
  if (made === null) return null;
  ctx.log.info({ tickets: made, ms: Date.now() - started }, 'demo desk loaded');
  return { tickets: made, password: DEMO_PASSWORD, sampleEmail: DEMO_MARKER_EMAIL };
}

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { startDesk, type TestDesk } from '../../test/harness.js';
import { ensureFirstAdmin } from '../bootstrap.js';
import { ticketChannels, ticketStatuses, languages } from '../../../common/enums.js';
import { users } from '../modules/users/users.table.js';
import { DEMO_PASSWORD, loadDemo, type DemoLoaded } from './demo.js';

type Session = { headers: Record<string, string> };
type Ticket = { id: string; subject: string; channel: string; status: string; createdAt: string; messageCount: number; requester: { id: string }; team: { name: string } | null };

let desk: TestDesk;
let loads: (DemoLoaded | null)[];
let manager: Session;

async function signIn(email: string, password: string) {
  return desk.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });
}

async function session(email: string): Promise<Session> {
  const res = await signIn(email, DEMO_PASSWORD);
  expect(res.statusCode, res.body).toBe(200);
  return { headers: { authorization: `Bearer ${res.json().token}` } };
}

async function get<T = any>(who: Session, url: string): Promise<T> {
  const res = await desk.app.inject({ method: 'GET', url, headers: who.headers });
  expect(res.statusCode, `${url}: ${res.body}`).toBe(200);
  return res.json() as T;
}

async function allTickets(who: Session, query = ''): Promise<Ticket[]> {
  const out: Ticket[] = [];
  let cursor: string | null = null;
  do {
    const page: { data: Ticket[]; nextCursor: string | null } = await get(
      who,
      `/api/v1/tickets?limit=100${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    out.push(...page.data);
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

beforeAll(async () => {
  desk = await startDesk();
  // As main.ts does: the first admin exists before the demo loads.
  await ensureFirstAdmin(desk.ctx);
  // Two nodes starting together: exactly one of them loads the demo.
  loads = await Promise.all([loadDemo(desk.ctx), loadDemo(desk.ctx)]);
  const loaded = loads.find(Boolean);
  if (loaded) manager = await session(loaded.sampleEmail);
  // Loading replays ~1,500 service calls: seconds on an idle machine, minutes on a busy CI box.
}, 600_000);
afterAll(async () => desk?.close());

describe('the demo desk', () => {
  it('loads once when two nodes start together, and signs staff in with the demo password', async () => {
    expect(loads.filter(Boolean)).toHaveLength(1);
    const loaded = loads.find(Boolean)!;
    expect(loaded.password).toBe(DEMO_PASSWORD);
    expect(loaded.tickets).toBeGreaterThanOrEqual(250);
    expect((await signIn(loaded.sampleEmail, 'not the password')).statusCode).toBe(401);
    // The history is the past: its replies must not be mailed to anyone now.
    const queued = await desk.ctx.db.execute(sql`select count(*)::int as n from jobs where name like 'email.%'`);
    expect((queued.rows[0] as { n: number }).n).toBe(0);
    const me = await get(manager, '/api/v1/auth/me');
    expect(me).toMatchObject({ email: loaded.sampleEmail, role: 'manager' });
  });

  it('has Level 1 and Level 2 teams and staff in every role', async () => {
    const teams: { data: { name: string; tier: number | null }[] } = await get(manager, '/api/v1/teams');
    expect(teams.data).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'Level 1', tier: 1 }), expect.objectContaining({ name: 'Level 2', tier: 2 })]));
    const staff: { data: { role: string; tier: number | null; availability: string; skills: string[] }[] } = await get(manager, '/api/v1/staff');
    const roles = new Set(staff.data.map((s) => s.role));
    for (const role of ['admin', 'manager', 'supervisor', 'dispatcher', 'analyst', 'agent']) expect(roles, role).toContain(role);
    const agents = staff.data.filter((s) => s.role === 'agent');
    expect(agents.some((a) => a.tier === 1) && agents.some((a) => a.tier === 2)).toBe(true);
    expect(new Set(agents.map((a) => a.availability))).toEqual(new Set(['online', 'away', 'offline']));
    expect(agents.some((a) => a.skills.includes('billing'))).toBe(true);
  });

  it('has external and internal customers writing in English, Arabic, Persian and Russian', async () => {
    const customers: { emails: string[]; language: string; kind: string; organization: unknown; department: string | null; timeZone: string | null }[] = [];
    let cursor: string | null = null;
    do {
      const page: { data: typeof customers; nextCursor: string | null } = await get(
        manager,
        `/api/v1/customers?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      customers.push(...page.data);
      cursor = page.nextCursor;
    } while (cursor);
    expect(new Set(customers.map((c) => c.language))).toEqual(new Set(languages));
    expect(customers.some((c) => c.kind === 'external' && c.organization)).toBe(true);
    expect(customers.some((c) => c.kind === 'internal' && c.department)).toBe(true);
    expect(customers.every((c) => c.timeZone)).toBe(true);
    expect(customers.every((c) => c.emails.length === 1 && c.emails[0].endsWith('.example'))).toBe(true);
  });

  it('has a few hundred tickets over sixty days, in every channel and status, with notes and a real history', async () => {
    const tickets = await allTickets(manager);
    expect(tickets.length).toBeGreaterThanOrEqual(250);
    expect(new Set(tickets.map((t) => t.channel))).toEqual(new Set(ticketChannels));
    expect(new Set(tickets.map((t) => t.status))).toEqual(new Set(ticketStatuses));
    const created = tickets.map((t) => Date.parse(t.createdAt));
    const now = desk.ctx.clock.now().getTime();
    expect(Math.max(...created)).toBeLessThanOrEqual(now);
    expect(now - Math.min(...created)).toBeGreaterThan(40 * 86_400_000);
    expect(Math.max(...tickets.map((t) => t.messageCount))).toBeLessThanOrEqual(6);
    // Every request starts at a first-line team; those now at Level 2 were escalated.
    expect(tickets.filter((t) => t.team?.name === 'Level 2').length).toBeGreaterThan(10);

    // A ticket with many messages has a conversation: the customer, an agent's reply, a note.
    const busy = tickets.filter((t) => t.messageCount >= 5).slice(0, 20);
    const details = await Promise.all(busy.map((t) => get(manager, `/api/v1/tickets/${t.id}`)));
    const messages = details.flatMap((d) => d.messages as { kind: string; authorKind: string; createdAt: string }[]);
    expect(messages.some((m) => m.kind === 'note')).toBe(true);
    expect(messages.some((m) => m.kind === 'reply' && m.authorKind === 'agent')).toBe(true);
    expect(messages.some((m) => m.authorKind === 'customer')).toBe(true);

    const closed = tickets.find((t) => t.status === 'closed')!;
    const { data: events }: { data: { type: string; createdAt: string }[] } = await get(manager, `/api/v1/tickets/${closed.id}/timeline`);
    const types = events.map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['ticket.created', 'ticket.assigned', 'message.added', 'ticket.status_changed']));
    // History is spread in time, not stamped at load time.
    expect(Date.parse(events[events.length - 1].createdAt)).toBeGreaterThan(Date.parse(events[0].createdAt));
  });

  it('finds demo tickets by an Arabic and a Russian word', async () => {
    const arabic = await allTickets(manager, `&q=${encodeURIComponent('الفاتورة')}`);
    expect(arabic.length).toBeGreaterThan(0);
    for (const t of arabic) expect(t.subject).toMatch(/[\u0600-\u06FF]/);
    const russian = await allTickets(manager, `&q=${encodeURIComponent('пароль')}`);
    expect(russian.length).toBeGreaterThan(0);
    for (const t of russian) expect(t.subject).toMatch(/[а-яё]/i);
    expect(await allTickets(manager, `&q=${encodeURIComponent('zzxqv')}`)).toHaveLength(0);
  });

  it('lets a customer sign in to the portal and see only their own tickets, without notes', async () => {
    const [account] = await desk.ctx.db
      .select({ email: users.email, customerId: users.customerId })
      .from(users)
      .where(and(eq(users.role, 'customer'), sql`exists (select 1 from tickets t where t.requester_id = ${users.customerId} and t.message_count >= 4)`))
      .limit(1);
    const customer = await session(account.email);
    const own = await allTickets(customer);
    expect(own.length).toBeGreaterThan(0);
    expect(own.every((t) => t.requester.id === account.customerId)).toBe(true);
    for (const t of own) {
      const detail = await get(customer, `/api/v1/tickets/${t.id}`);
      expect(detail.messages.every((m: { kind: string }) => m.kind !== 'note')).toBe(true);
    }
  });

  it('does nothing when loaded again', async () => {
    const before = (await allTickets(manager)).length;
    expect(await loadDemo(desk.ctx)).toBeNull();
    expect((await allTickets(manager)).length).toBe(before);
  });
});

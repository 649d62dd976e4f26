import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDesk, type Account, type TestDesk } from '../../../test/harness.js';

let desk: TestDesk;
let admin: Account;
let agent: Account;
let long: { id: string; number: number };
let elsewhere: { id: string; number: number };
const changes = 55;

type Event = { id: number; type: string; data: Record<string, unknown> };
type Page = { data: Event[]; nextCursor: string | null };

beforeAll(async () => {
  desk = await startDesk();
  admin = await desk.as('admin');
  const billing = await desk.team('Pages billing');
  const security = await desk.team('Pages security');
  agent = await desk.as('agent', { teamIds: [billing] });
  const open = async (subject: string, teamId: string) =>
    (await desk.request(admin, 'POST', '/api/v1/tickets', { subject, channel: 'email', requester: { email: 'omid@pages.test' }, body: 'b', teamId })).body;
  long = await open('A ticket with a long history', billing);
  elsewhere = await open('Another team holds this one', security);
  // More changes than the default page holds, each one history row, then a merge into a ticket the agent may not open.
  for (let i = 0; i < changes; i++) {
    const res = await desk.request(admin, 'PATCH', `/api/v1/tickets/${long.id}`, { subject: `A ticket with a long history (${i})` });
    expect(res.status).toBe(200);
  }
  expect((await desk.request(admin, 'POST', `/api/v1/tickets/${long.id}/merge`, { targetId: elsewhere.id })).status).toBe(200);
});
afterAll(async () => desk?.close());

const timeline = (who: Account, query = '', id = long.id) =>
  desk.request<Page & { error: { code: string; field?: string } }>(who, 'GET', `/api/v1/tickets/${id}/timeline${query}`);

async function allPages(who: Account, limit: number): Promise<Page[]> {
  const pages: Page[] = [];
  let cursor: string | null = null;
  do {
    const res = await timeline(who, `?limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    expect(res.status).toBe(200);
    pages.push(res.body);
    cursor = res.body.nextCursor;
    expect(pages.length).toBeLessThan(100);
  } while (cursor);
  return pages;
}

describe('GET /tickets/:id/timeline, a page at a time', () => {
  it('reads every event back through the cursor, oldest first, without gaps or repeats', async () => {
    const pages = await allPages(admin, 7);
    const events = pages.flatMap((p) => p.data);
    // Every page but the last is full; the last says there is no more.
    expect(pages.slice(0, -1).every((p) => p.data.length === 7)).toBe(true);
    expect(pages.at(-1)!.data.length).toBeGreaterThan(0);
    expect(pages.at(-1)!.data.length).toBeLessThanOrEqual(7);
    expect(pages.at(-1)!.nextCursor).toBeNull();
    // Oldest first by id, each once.
    const ids = events.map((e) => e.id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(ids.length);
    // Opened first, merged last, and every change in the order it was made.
    expect(events[0].type).toBe('ticket.created');
    expect(events.at(-1)!.type).toBe('ticket.merged');
    const subjects = events.filter((e) => e.type === 'ticket.subject_changed').map((e) => e.data.to);
    expect(subjects).toEqual(Array.from({ length: changes }, (_, i) => `A ticket with a long history (${i})`));
    // The same rows as one large page.
    expect((await timeline(admin, '?limit=200')).body).toEqual({ data: events, nextCursor: null });
  });

  it('answers 50 events unless asked otherwise, and honours limit', async () => {
    const first = (await timeline(admin)).body;
    expect(first.data).toHaveLength(50);
    expect(first.nextCursor).toEqual(expect.any(String));
    const rest = (await timeline(admin, `?cursor=${first.nextCursor}`)).body;
    expect(rest.data[0].id).toBeGreaterThan(first.data[49].id);
    expect(rest.nextCursor).toBeNull();
    expect((await timeline(admin, '?limit=1')).body.data).toHaveLength(1);
    expect((await timeline(admin, '?limit=3')).body.data).toHaveLength(3);
  });

  it('leaves the other ticket out of a later page for a reader who may not open it', async () => {
    const forAgent = (await allPages(agent, 4)).flatMap((p) => p.data);
    expect(forAgent.at(-1)).toMatchObject({ type: 'ticket.merged', data: {} });
    expect(JSON.stringify(forAgent)).not.toContain(elsewhere.id);
    const forAdmin = (await allPages(admin, 4)).flatMap((p) => p.data);
    expect(forAdmin.at(-1)!.data).toEqual({ into: elsewhere.id, intoNumber: elsewhere.number });
  });

  it('refuses a bad limit or cursor, another ticket\'s cursor and unknown parameters with 400 naming the field', async () => {
    for (const [query, field, code] of [
      ['?limit=0', 'limit', 'invalid_request'],
      ['?limit=201', 'limit', 'invalid_request'],
      ['?limit=ten', 'limit', 'invalid_request'],
      ['?cursor=%%%', 'cursor', 'invalid_cursor'],
      ['?cursor=bm90IGEgY3Vyc29y', 'cursor', 'invalid_cursor'],
      ['?offset=10', 'offset', 'invalid_request'],
      ['?limit=5&sort=-id', 'sort', 'invalid_request'],
    ]) {
      const res = await timeline(admin, query);
      expect(res.status, query).toBe(400);
      expect(res.body.error, query).toMatchObject({ code, field });
    }
    const staffCursor = Buffer.from(JSON.stringify(['staff', 'Sam', crypto.randomUUID()])).toString('base64url');
    expect((await timeline(admin, `?cursor=${staffCursor}`)).body.error).toMatchObject({ code: 'invalid_cursor', field: 'cursor' });
    // A cursor from one ticket's history does not page through another's.
    const other = (await timeline(admin, '?limit=1', elsewhere.id)).body.nextCursor!;
    expect(other).toEqual(expect.any(String));
    const res = await timeline(admin, `?cursor=${other}`);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'invalid_cursor', field: 'cursor' });
  });
});

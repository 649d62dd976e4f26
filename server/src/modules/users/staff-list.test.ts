import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDesk, type Account, type TestDesk } from '../../../test/harness.js';
import { portalCustomer } from '../../../test/portal-customer.js';

let desk: TestDesk;
let admin: Account;
let team: string;
const members: string[] = [];

beforeAll(async () => {
  desk = await startDesk();
  admin = await desk.as('admin');
  team = await desk.team('Billing');
  // Five people with the same name: only the id tells them apart, and the pages must still not overlap.
  for (let i = 0; i < 5; i++) {
    const res = await desk.request(admin, 'POST', '/api/v1/staff', {
      email: `sam.lee${i}@desk.test`,
      name: 'Sam Lee',
      role: i < 3 ? 'agent' : 'supervisor',
      password: 'a long enough password',
      teamIds: [team],
    });
    expect(res.status).toBe(201);
    members.push(res.body.id);
  }
  const away = await desk.request(admin, 'POST', '/api/v1/staff', { email: 'olga@desk.test', name: 'Ольга Петрова', role: 'agent', password: 'a long enough password' });
  expect((await desk.request(admin, 'PATCH', `/api/v1/staff/${away.body.id}`, { availability: 'away' })).status).toBe(200);
  await portalCustomer(desk, admin, 'Sam Lee');
});
afterAll(async () => desk?.close());

type Page = { data: { id: string; name: string; role: string; availability: string; teamIds: string[] }[]; nextCursor: string | null };
const list = (query: string) => desk.request<Page & { error: { code: string; field?: string } }>(admin, 'GET', `/api/v1/staff${query}`);

async function allPages(query: string): Promise<Page[]> {
  const pages: Page[] = [];
  let cursor: string | null = null;
  do {
    const res = await list(`${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    expect(res.status).toBe(200);
    pages.push(res.body);
    cursor = res.body.nextCursor;
    expect(pages.length).toBeLessThan(20);
  } while (cursor);
  return pages;
}
const idsOf = (pages: Page[]) => pages.flatMap((p) => p.data.map((u) => u.id));

describe('GET /staff, a page at a time', () => {
  it('pages through all staff by name, without overlap, ending with a null cursor; portal accounts are not staff', async () => {
    const pages = await allPages('?limit=2');
    // admin, five Sam Lees, Olga.
    expect(pages.map((p) => p.data.length)).toEqual([2, 2, 2, 1]);
    expect(pages.at(-1)!.nextCursor).toBeNull();
    const seen = idsOf(pages);
    expect(new Set(seen).size).toBe(7);
    expect(seen).toEqual(expect.arrayContaining([admin.id, ...members]));
    expect(pages.flatMap((p) => p.data).every((u) => u.role !== 'customer')).toBe(true);
    expect((await list('?limit=200')).body.data.map((u) => u.id)).toEqual(seen);
  });

  it('keeps its filters, alone and while paging', async () => {
    const inTeam = await allPages(`?teamId=${team}&limit=2`);
    expect(inTeam.map((p) => p.data.length)).toEqual([2, 2, 1]);
    expect([...idsOf(inTeam)].sort()).toEqual([...members].sort());
    const agents = await allPages(`?teamId=${team}&role=agent&limit=2`);
    expect([...idsOf(agents)].sort()).toEqual([...members.slice(0, 3)].sort());
    const supervisors = (await list('?role=supervisor')).body;
    expect(supervisors.data.map((u) => u.id).sort()).toEqual([...members.slice(3)].sort());
    expect(supervisors.nextCursor).toBeNull();
    expect((await list('?availability=away')).body.data.map((u) => u.name)).toEqual(['Ольга Петрова']);
    expect((await list('?q=ольга')).body.data.map((u) => u.name)).toEqual(['Ольга Петрова']);
    expect((await list('?q=sam.lee4@')).body.data.map((u) => u.id)).toEqual([members[4]]);
    expect((await list(`?teamId=${crypto.randomUUID()}`)).body).toEqual({ data: [], nextCursor: null });
  });

  it('refuses a bad filter, limit or cursor and unknown parameters with 400 naming the field', async () => {
    for (const [query, field] of [
      ['?role=customer', 'role'],
      ['?teamId=billing', 'teamId'],
      ['?availability=asleep', 'availability'],
      ['?limit=0', 'limit'],
      ['?limit=201', 'limit'],
      ['?cursor=%%%', 'cursor'],
      ['?team=x', 'team'],
      ['?role=agent&offset=10', 'offset'],
    ]) {
      const res = await list(query);
      expect(res.status, query).toBe(400);
      expect(res.body.error.field, query).toBe(field);
    }
    const orgCursor = Buffer.from(JSON.stringify(['organizations', 'Acme', crypto.randomUUID()])).toString('base64url');
    const res = await list(`?cursor=${orgCursor}`);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'invalid_cursor', field: 'cursor' });
  });
});

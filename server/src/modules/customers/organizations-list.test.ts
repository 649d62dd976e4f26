import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDesk, type Account, type TestDesk } from '../../../test/harness.js';

let desk: TestDesk;
let admin: Account;
const names = ['Modber', 'Acme Trading', 'شركة النور', 'Ромашка', 'Beta Systems', 'Gamma 100%', 'Delta_Ltd'];
const ids: string[] = [];

beforeAll(async () => {
  desk = await startDesk();
  admin = await desk.as('admin');
  await desk.as('agent');
  for (const [i, name] of names.entries()) {
    const res = await desk.request(admin, 'POST', '/api/v1/organizations', { name, domains: [`org${i}.example.com`] });
    expect(res.status).toBe(201);
    ids.push(res.body.id);
  }
});
afterAll(async () => desk?.close());

type Page = { data: { id: string; name: string }[]; nextCursor: string | null };
const list = (query: string) => desk.request<Page & { error: { code: string; field?: string } }>(admin, 'GET', `/api/v1/organizations${query}`);

async function allPages(query: string): Promise<Page[]> {
  const pages: Page[] = [];
  let cursor: string | null = null;
  do {
    const sep = query ? '&' : '?';
    const res = await list(`${query}${cursor ? `${sep}cursor=${encodeURIComponent(cursor)}` : ''}`);
    expect(res.status).toBe(200);
    pages.push(res.body);
    cursor = res.body.nextCursor;
    expect(pages.length).toBeLessThan(20);
  } while (cursor);
  return pages;
}

describe('GET /organizations, a page at a time', () => {
  it('pages through every organization by name, without overlap, ending with a null cursor', async () => {
    const pages = await allPages('?limit=3');
    expect(pages.map((p) => p.data.length)).toEqual([3, 3, 1]);
    expect(pages.at(-1)!.nextCursor).toBeNull();
    const seen = pages.flatMap((p) => p.data.map((o) => o.id));
    expect(new Set(seen).size).toBe(seen.length);
    expect([...seen].sort()).toEqual([...ids].sort());
    // The same order as one big page: the cursor continues where the page ended.
    const whole = await list('?limit=200');
    expect(whole.body.data.map((o) => o.id)).toEqual(seen);
    expect(whole.body.nextCursor).toBeNull();
  });

  it('gives 50 by default, and no cursor when everything fits', async () => {
    const res = await list('');
    expect(res.status).toBe(200);
    expect(res.body.data).toHaveLength(names.length);
    expect(res.body.nextCursor).toBeNull();
  });

  it('finds by a part of the name in any case or script, or of a domain; % and _ are plain characters', async () => {
    const names = async (q: string) => (await list(`?q=${encodeURIComponent(q)}`)).body.data.map((o) => o.name);
    expect(await names('acme')).toEqual(['Acme Trading']);
    expect(await names('РОМАШ')).toEqual(['Ромашка']);
    expect(await names('النور')).toEqual(['شركة النور']);
    expect(await names('org0.example')).toEqual(['Modber']);
    expect(await names('100%')).toEqual(['Gamma 100%']);
    expect(await names('a_L')).toEqual(['Delta_Ltd']);
    expect(await names('nothing like this')).toEqual([]);
    // Search and paging together.
    const pages = await allPages(`?q=${encodeURIComponent('example.com')}&limit=4`);
    expect(pages.map((p) => p.data.length)).toEqual([4, 3]);
  });

  it('refuses a bad limit, a bad cursor and unknown parameters with 400 naming the field', async () => {
    for (const [query, field] of [
      ['?limit=0', 'limit'],
      ['?limit=201', 'limit'],
      ['?limit=ten', 'limit'],
      ['?cursor=not-a-cursor', 'cursor'],
      ['?sort=name', 'sort'],
      ['?q=', 'q'],
      ['?q=acme&page=2', 'page'],
    ]) {
      const res = await list(query);
      expect(res.status, query).toBe(400);
      expect(res.body.error.field, query).toBe(field);
    }
    const garbage = await list('?cursor=not-a-cursor');
    expect(garbage.body.error.code).toBe('invalid_cursor');
    // A cursor from another list, or one whose position is not a name, is not this list's.
    const staffCursor = (await desk.request(admin, 'GET', '/api/v1/staff?limit=1')).body.nextCursor;
    for (const cursor of [staffCursor, Buffer.from(JSON.stringify(['organizations', null, ids[0]])).toString('base64url')]) {
      const res = await list(`?cursor=${cursor}`);
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'invalid_cursor', field: 'cursor' });
    }
  });
});

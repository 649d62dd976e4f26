import { expect } from 'vitest';
import type { Account, TestDesk } from './harness.js';

type Page<T> = { data: T[]; nextCursor: string | null };

/**
 * Follows a list's `nextCursor` from its first page to its last, `limit` rows at a time, checking
 * each page answers 200 and holds no more than `limit`; returns every row in the order seen.
 */
export async function walkPages<T = any>(desk: TestDesk, account: Account, url: string, limit: number): Promise<T[]> {
  const joiner = url.includes('?') ? '&' : '?';
  const rows: T[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 1000; pages++) {
    const res: { status: number; body: Page<T> } = await desk.request(account, 'GET', `${url}${joiner}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.data.length).toBeLessThanOrEqual(limit);
    rows.push(...res.body.data);
    cursor = res.body.nextCursor;
    if (!cursor) return rows;
  }
  throw new Error(`${url}: no last page after 1000 pages`);
}

/** The whole list in one page (it must fit in 200 rows), to compare a walk with. */
export async function onePage<T = any>(desk: TestDesk, account: Account, url: string): Promise<T[]> {
  const res: { status: number; body: Page<T> } = await desk.request(account, 'GET', `${url}${url.includes('?') ? '&' : '?'}limit=200`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  expect(res.body.nextCursor).toBeNull();
  return res.body.data;
}

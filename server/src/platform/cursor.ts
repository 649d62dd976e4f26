import { z } from 'zod';
import { limits } from '../../../common/enums.js';
import { AppError } from './errors.js';

/** A list's `limit`: the same bounds on every list (1–200); longer rows page by 25, the rest by 50. */
export const pageLimit = (byDefault: 25 | 50 = 50) => z.coerce.number().int().min(1).max(limits.pageSize).default(byDefault);

/** What a cursor's sort value must look like before it is cast in SQL: a bad one was a 500 there. */
export type CursorValue = 'timestamp' | 'integer' | 'text' | readonly string[];

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// PostgreSQL's text form of a timestamptz (what encodeCursor is given), or ±infinity for "no due time".
// Hours and zone offsets within PostgreSQL's range (an offset past ±15:59 is an error there, not a 400 here).
const timestamp = /^(\d{4})-(\d{2})-(\d{2})[ T](?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d{1,6})?(?:[+-](?:0\d|1[0-5])(?::?[0-5]\d)?|Z)?$/;

function validDate(text: string): boolean {
  const m = timestamp.exec(text);
  if (!m) return text === 'infinity' || text === '-infinity';
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const day = new Date(Date.UTC(y, mo - 1, d));
  return day.getUTCFullYear() === y && day.getUTCMonth() === mo - 1 && day.getUTCDate() === d && Number(text.slice(11, 13)) < 24;
}

function valid(value: unknown, kind: CursorValue): boolean {
  if (value === null) return kind !== 'text';
  if (typeof value !== 'string' && typeof value !== 'number') return false;
  const text = String(value);
  if (kind === 'timestamp') return validDate(text);
  if (kind === 'integer') return /^\d{1,15}$/.test(text);
  // A name: compared as text in SQL, so any string is safe; the length only bounds the work.
  if (kind === 'text') return typeof value === 'string' && text.length <= 400;
  return kind.includes(text);
}

/**
 * Opaque keyset cursor: the sort it was made for, the last row's sort value (as PostgreSQL text, to
 * keep microseconds) and id.
 */
export function encodeCursor(sort: string, value: string | number | null, id: string): string {
  return Buffer.from(JSON.stringify([sort, value, id])).toString('base64url');
}

/** The cursor's position, if it was made for this sort and holds a value of its kind; else 400. */
export function decodeCursor(cursor: string, sort: string, kind: CursorValue): { value: string | null; id: string } {
  let parts: unknown;
  try {
    parts = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parts = null;
  }
  if (!Array.isArray(parts) || parts.length !== 3) throw invalid('not a cursor this API returned');
  const [madeFor, value, id] = parts;
  if (madeFor !== sort) throw invalid(`made for another order (${String(madeFor).slice(0, 40)}); start again without a cursor`);
  if (typeof id !== 'string' || !uuid.test(id) || !valid(value, kind)) throw invalid('not a cursor this API returned');
  return { value: value === null ? null : String(value), id };
}

/**
 * A list ordered by a sequence id alone, inside one record (a ticket's timeline): the cursor keeps the
 * last id and the record, so a cursor made for another record's list is refused rather than followed.
 */
export const encodeIdCursor = (list: string, lastId: number, within: string) => encodeCursor(list, lastId, within);

/** The last id a cursor from encodeIdCursor saw, if it was made for this list of this record; else 400. */
export function decodeIdCursor(cursor: string, list: string, within: string): number {
  const { value, id } = decodeCursor(cursor, list, 'integer');
  if (value === null) throw invalid('not a cursor this API returned');
  if (id.toLowerCase() !== within.toLowerCase()) throw invalid('made for another record; start again without a cursor');
  return Number(value);
}

// A desk-wide list has no record to hold the cursor to: the nil uuid stands for "the whole desk".
const wholeDesk = '00000000-0000-0000-0000-000000000000';

/** A desk-wide list ordered by a sequence id alone (background jobs): the cursor keeps the last id. */
export const encodeSequenceCursor = (list: string, lastId: number) => encodeIdCursor(list, lastId, wholeDesk);

/** The last id a cursor from encodeSequenceCursor saw, if it was made for this list; else 400. */
export const decodeSequenceCursor = (cursor: string, list: string) => decodeIdCursor(cursor, list, wholeDesk);

const invalid = (why: string) => new AppError(400, 'invalid_cursor', `cursor: ${why}`, { field: 'cursor' });

import { AppError } from './errors.js';

/** Opaque keyset cursor: the last row's sort value (as PostgreSQL text, to keep microseconds) and id. */
export function encodeCursor(value: string | number | null, id: string): string {
  return Buffer.from(JSON.stringify([value, id])).toString('base64url');
}

export function decodeCursor(cursor: string): { value: string | null; id: string } {
  try {
    const [value, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (typeof id !== 'string' || !/^[0-9a-f-]{36}$/i.test(id)) throw new Error('bad id');
    return { value: value === null ? null : String(value), id };
  } catch {
    throw new AppError(400, 'invalid_cursor', 'cursor: not a cursor this API returned', { field: 'cursor' });
  }
}

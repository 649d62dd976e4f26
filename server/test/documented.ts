import { expect } from 'vitest';
import type { ZodType } from 'zod';

/** Holds a real answer to its documented schema (strict objects: an undocumented field fails too). */
export function expectDocumented(schema: ZodType, body: unknown) {
  const parsed = schema.safeParse(body);
  expect(parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual([]);
}

import type { FastifyInstance } from 'fastify';
import { badRequest } from './errors.js';
import { wellFormed } from './text.js';

/** Why PostgreSQL would refuse this text (NUL, or a half of a surrogate pair), or null when it is fine. */
function flawOf(text: string): string | null {
  if (text.includes('\0')) return 'contains a NUL character';
  if (!wellFormed(text)) return 'is not valid Unicode (an unpaired surrogate)';
  return null;
}

/** The first string (value or key) in a JSON value, query or params that the database cannot store. */
function findFlaw(root: unknown, base: string): { field: string; flaw: string } | null {
  // A stack, not recursion: a request may nest thousands of levels deep.
  const stack: [unknown, string][] = [[root, base]];
  while (stack.length) {
    const [value, path] = stack.pop()!;
    if (typeof value === 'string') {
      const flaw = flawOf(value);
      if (flaw) return { field: path, flaw };
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => stack.push([v, path ? `${path}.${i}` : String(i)]));
    } else if (value && typeof value === 'object' && !Buffer.isBuffer(value)) {
      for (const [k, v] of Object.entries(value)) {
        const at = path ? `${path}.${k}` : k;
        const flaw = flawOf(k);
        if (flaw) return { field: at, flaw };
        stack.push([v, at]);
      }
    }
  }
  return null;
}

/**
 * Refuses text no PostgreSQL column can hold, wherever it comes in (path, query, JSON body), with a
 * 400 naming the field; without this it reached the database and came back as a 500.
 */
export function registerTextGuard(app: FastifyInstance) {
  app.addHook('preValidation', async (req) => {
    const found = findFlaw(req.params, '') ?? findFlaw(req.query, '') ?? findFlaw(req.body, '');
    if (found) throw badRequest('invalid_text', `${found.field || 'body'}: ${found.flaw}`, { field: found.field });
  });
}

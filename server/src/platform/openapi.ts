import type { FastifyInstance, FastifySchema, RouteOptions } from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import { z, ZodType } from 'zod';

/** An answer that is not JSON: a file download, or nothing at all (204). Documented as such, never checked. */
export type PlainAnswer = { description: string; content?: Record<string, { schema: { type: 'string'; format: 'binary' } }> };

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Answer bodies by status, for the API documentation (and the tests' answer check): never used to serialize. */
    responses?: Record<number, ZodType | PlainAnswer>;
  }
}

/** Every error the API gives: a stable code, a message, and the field when one is at fault. */
export const apiError = z.looseObject({
  error: z.looseObject({ code: z.string(), message: z.string(), field: z.string().optional() }),
});

export const noContent: PlainAnswer = { description: 'Done; no body' };

/** A download: the file's bytes with its own type (`mediaType` is what the document names). */
export function fileAnswer(description: string, mediaType = 'application/octet-stream'): PlainAnswer {
  return { description, content: { [mediaType]: { schema: { type: 'string', format: 'binary' } } } };
}

/** `{ data: [...] }`, the shape of every list that is not paged. */
export const listOf = (item: ZodType) => z.strictObject({ data: z.array(item) });
/** `{ data: [...], nextCursor }`, the shape of every paged list. */
export const pageOf = (item: ZodType) => z.strictObject({ data: z.array(item), nextCursor: z.string().nullable() });

const capitalized = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

/**
 * An operation's id, from its method and path, so no route writes one by hand and client
 * generators get stable names: `GET /api/v1/tickets/:id/messages` is `getTicketsByIdMessages`.
 */
export function operationIdOf(method: string, url: string): string {
  const words = url
    .replace(/^\/api\/v1(?=\/|$)/, '')
    .split('/')
    .filter(Boolean)
    .map((segment) => {
      const param = segment.startsWith(':') || segment.startsWith('{');
      const name = segment.replace(/^[:{]|}$/g, '').split(/[^A-Za-z0-9]+/).filter(Boolean).map(capitalized).join('');
      return param ? `By${name}` : name;
    });
  return method.toLowerCase() + words.join('');
}

/**
 * The documentation's transform: a route's declared answers (`config.responses`) and the error
 * shape are added to its schema for the document alone, so answers are not validated or
 * re-serialized on every request; each operation gets an id from its method and path.
 */
export function documentRoute(input: Parameters<typeof jsonSchemaTransform>[0] & { route?: RouteOptions }) {
  const schema = input.schema as FastifySchema & { hide?: boolean };
  if (schema?.hide) return jsonSchemaTransform(input);
  const method = [input.route?.method ?? 'get'].flat()[0];
  const operationId = (schema as { operationId?: string } | undefined)?.operationId ?? operationIdOf(method, input.url);
  if (!schema) return jsonSchemaTransform({ ...input, schema: { operationId } as FastifySchema });
  const declared = input.route?.config?.responses ?? {};
  const typed = Object.entries(declared).filter((e): e is [string, ZodType] => e[1] instanceof ZodType);
  const plain = Object.entries(declared).filter(([, answer]) => !(answer instanceof ZodType));
  const out = jsonSchemaTransform({ ...input, schema: { ...schema, operationId, response: { ...Object.fromEntries(typed), default: apiError } } as FastifySchema });
  const response = (out.schema as { response: Record<string, unknown> }).response;
  for (const [status, answer] of plain) response[status] = answer;
  return out;
}

function parseOrText(payload: string): unknown {
  try {
    return JSON.parse(payload);
  } catch {
    return payload;
  }
}

/**
 * For tests: holds every JSON answer to what its route documents (a 2xx answer must be declared,
 * an error must have the error shape). A mismatch turns the answer into a 500 and is added to
 * `faults`, so neither the document nor the code can drift without the suite noticing.
 */
export function registerAnswerCheck(app: FastifyInstance, faults: string[]) {
  app.addHook('onSend', async (req, reply, payload) => {
    const route = `${req.method} ${req.routeOptions.url ?? req.url}`;
    const declared = req.routeOptions.config?.responses;
    if (!declared || reply.statusCode === 304) return payload;
    const status = reply.statusCode;
    const schema = declared[status] ?? (status >= 400 ? apiError : undefined);
    let problem: string | undefined;
    if (!schema) problem = `answered ${status}, which it does not document`;
    else if (schema instanceof ZodType) {
      const json = typeof payload === 'string' && String(reply.getHeader('content-type') ?? '').includes('json');
      const parsed = json ? schema.safeParse(parseOrText(payload)) : undefined;
      if (!json) problem = `answered ${status} with no JSON body`;
      else if (parsed && !parsed.success) problem = `answered ${status} unlike its document: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`;
    }
    if (!problem) return payload;
    faults.push(`${route} ${problem}`);
    reply.code(500).type('application/json');
    return JSON.stringify({ error: { code: 'undocumented_answer', message: `${route} ${problem}` } });
  });
}

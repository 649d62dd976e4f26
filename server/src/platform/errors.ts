import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';

/** The one error type: a stable code for programs, a status for HTTP, a message for people. */
export class AppError extends Error {
  constructor(
    public readonly status: number,
    public readonly code: string,
    message: string,
    public readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export const notFound = (what: string) => new AppError(404, 'not_found', `${what} not found`);
export const forbidden = (message = 'You are not allowed to do this') => new AppError(403, 'forbidden', message);
export const badRequest = (code: string, message: string, details?: Record<string, unknown>) =>
  new AppError(400, code, message, details);
export const conflict = (code: string, message: string, details?: Record<string, unknown>) =>
  new AppError(409, code, message, details);

type Issue = { path?: (string | number)[]; instancePath?: string; message?: string; keyword?: string; params?: { keys?: string[] } };

function fieldOf(issue: Issue): string {
  const path = issue.path?.length ? issue.path.join('.') : (issue.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.');
  // An unknown key is reported on its object: name the key itself.
  const unknown = issue.keyword === 'unrecognized_keys' ? issue.params?.keys?.[0] : undefined;
  return unknown ? [path, unknown].filter(Boolean).join('.') : path;
}

/**
 * What PostgreSQL says when two requests meet: the loser of a check-then-write race, or a deadlock.
 * The request was not applied; it may be sent again. Anything else stays a 500.
 */
function raceOf(err: unknown): { code: string; message: string } | null {
  const cause = err as { code?: unknown; cause?: { code?: unknown } };
  const code = typeof cause.code === 'string' ? cause.code : cause.cause?.code;
  if (code === '23505') return { code: 'already_exists', message: 'Another request made the same thing at the same moment; nothing was changed' };
  if (code === '23503' || code === '40P01' || code === '40001') return { code: 'try_again', message: 'Another change got in the way; nothing was changed, send it again' };
  return null;
}

/** What the router says before a route is found: `path_too_long` (a parameter over 100 characters) or `invalid_url`. */
export function routerError(err: FastifyError, req: FastifyRequest, reply: FastifyReply) {
  if (err.code === 'FST_ERR_MAX_PARAM_LENGTH') return reply.status(414).send({ error: { code: 'path_too_long', message: 'A part of the path is too long to be an id' } });
  if (err.code === 'FST_ERR_BAD_URL') return reply.status(400).send({ error: { code: 'invalid_url', message: 'The path is not valid percent-encoding' } });
  req.log.error({ err }, 'router error');
  return reply.status(500).send({ error: { code: 'internal', message: 'Something went wrong on our side' } });
}

export function registerErrorHandler(app: FastifyInstance) {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err instanceof AppError) {
      return reply.status(err.status).send({ error: { code: err.code, message: err.message, ...err.details } });
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      // fastify-type-provider-zod hands each zod issue over in Ajv's shape (instancePath, keyword, params).
      const where = err.validationContext ?? 'body';
      // A query parameter is named as sent: `status=open,bogus` is a bad `status`, not `status.1`.
      const named = (v: Issue) => (where === 'body' ? fieldOf(v) : fieldOf(v).split('.')[0]);
      const issues = (err.validation as unknown as Issue[]).map((v) => ({ in: where, field: named(v), message: v.message ?? 'invalid' }));
      const first = issues[0];
      const label = first?.field ? `${first.field}` : first?.in ?? 'request';
      return reply.status(400).send({
        error: {
          code: 'invalid_request',
          message: `Invalid ${label}: ${first?.message ?? 'invalid value'}`,
          field: first?.field,
          issues,
        },
      });
    }
    const race = raceOf(err);
    if (race) {
      req.log.warn({ err }, 'request lost a race with another');
      return reply.status(409).send({ error: race });
    }
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const code =
        err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
          ? 'unsupported_media_type'
          : err.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
            ? 'payload_too_large'
            : err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || err instanceof SyntaxError
              ? 'invalid_json'
              : 'bad_request';
      return reply.status(status).send({ error: { code, message: err.message } });
    }
    req.log.error({ err }, 'unhandled error');
    return reply.status(500).send({ error: { code: 'internal', message: 'Something went wrong on our side' } });
  });
}

import type { FastifySchema, RouteOptions } from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import { z, type ZodType } from 'zod';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Answer bodies by status, for the API documentation only: never used to serialize. */
    responses?: Record<number, ZodType>;
  }
}

/** Every error the API gives: a stable code, a message, and the field when one is at fault. */
export const apiError = z.looseObject({
  error: z.looseObject({ code: z.string(), message: z.string(), field: z.string().optional() }),
});

/**
 * The documentation's transform: a route's declared answers (`config.responses`) and the error
 * shape are added to its schema for the document alone, so answers are not validated or
 * re-serialized on every request.
 */
export function documentRoute(input: Parameters<typeof jsonSchemaTransform>[0] & { route?: RouteOptions }) {
  const schema = input.schema as FastifySchema & { hide?: boolean };
  const declared = input.route?.config?.responses;
  if (!schema || schema.hide) return jsonSchemaTransform(input);
  return jsonSchemaTransform({ ...input, schema: { ...schema, response: { ...declared, default: apiError } } });
}

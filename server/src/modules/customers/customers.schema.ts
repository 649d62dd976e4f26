import { z } from 'zod';
import { languages } from '../../../../common/enums.js';
import { pageLimit } from '../../platform/cursor.js';

/** A service tier, e.g. "premium" or "vip": free words, compared in lower case. */
export const tierInput = z.string().trim().toLowerCase().min(1).max(50);

/** An IANA time zone this runtime knows; an unknown one would fail every due-time calculation later. */
export const timeZoneInput = z
  .string()
  .max(100)
  .refine((tz) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, 'must be an IANA time zone such as Europe/Moscow');

export const createCustomerBody = z
  .object({
    name: z.string().trim().min(1).max(200),
    emails: z.array(z.email().max(320)).max(20).default([]),
    phones: z.array(z.string().trim().min(3).max(40)).max(20).default([]),
    kind: z.enum(['external', 'internal']).default('external'),
    department: z.string().trim().max(200).optional(),
    organizationId: z.uuid().optional(),
    language: z.enum(languages).default('en'),
    timeZone: timeZoneInput.optional(),
    notes: z.string().max(10_000).optional(),
    tier: tierInput.optional(),
  })
  .strict();
export type CreateCustomerInput = z.infer<typeof createCustomerBody>;

export const updateCustomerBody = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    emails: z.array(z.email().max(320)).max(20).optional(),
    phones: z.array(z.string().trim().min(3).max(40)).max(20).optional(),
    kind: z.enum(['external', 'internal']).optional(),
    department: z.string().trim().max(200).nullable().optional(),
    organizationId: z.uuid().nullable().optional(),
    language: z.enum(languages).optional(),
    timeZone: timeZoneInput.nullable().optional(),
    notes: z.string().max(10_000).nullable().optional(),
    tier: tierInput.nullable().optional(),
  })
  .strict();
export type UpdateCustomerInput = z.infer<typeof updateCustomerBody>;

export const listCustomersQuery = z.object({
  q: z.string().trim().min(1).max(200).optional(),
  organizationId: z.uuid().optional(),
  kind: z.enum(['external', 'internal']).optional(),
  limit: pageLimit(25),
  cursor: z.string().max(500).optional(),
}).strict();
export type ListCustomersQuery = z.infer<typeof listCustomersQuery>;

export const createOrganizationBody = z
  .object({
    name: z.string().trim().min(1).max(200),
    domains: z.array(z.string().trim().toLowerCase().regex(/^[a-z0-9.-]+\.[a-z]{2,}$/, 'must be a domain such as example.com')).max(20).default([]),
    notes: z.string().max(10_000).optional(),
    tier: tierInput.optional(),
  })
  .strict();
export type CreateOrganizationInput = z.infer<typeof createOrganizationBody>;

export const updateOrganizationBody = createOrganizationBody
  .extend({ domains: createOrganizationBody.shape.domains.unwrap(), notes: z.string().max(10_000).nullable(), tier: tierInput.nullable() })
  .partial()
  .strict();
export type UpdateOrganizationInput = z.infer<typeof updateOrganizationBody>;

export const listOrganizationsQuery = z
  .object({
    q: z.string().trim().min(1).max(200).optional().describe('Part of the name, or of one of its domains'),
    limit: pageLimit(),
    cursor: z.string().max(1000).optional().describe('nextCursor from the previous page'),
  })
  .strict();
export type ListOrganizationsQuery = z.infer<typeof listOrganizationsQuery>;

export const idParams = z.object({ id: z.uuid() });

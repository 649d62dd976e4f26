import { z } from 'zod';
import { availabilities, languages, staffRoleNames } from '../../../../common/enums.js';
import { pageLimit } from '../../platform/cursor.js';

export const listStaffQuery = z
  .object({
    role: z.enum(staffRoleNames).optional(),
    teamId: z.uuid().optional(),
    availability: z.enum(availabilities).optional(),
    q: z.string().trim().min(1).max(200).optional().describe('Part of the name or email address'),
    limit: pageLimit(),
    cursor: z.string().max(1000).optional().describe('nextCursor from the previous page'),
  })
  .strict();
export type ListStaffQuery = z.infer<typeof listStaffQuery>;

export const createStaffBody = z
  .object({
    email: z.email().max(320),
    name: z.string().trim().min(1).max(200),
    role: z.enum(staffRoleNames),
    password: z.string().min(10, 'must be at least 10 characters').max(1024),
    tier: z.union([z.literal(1), z.literal(2)]).optional(),
    skills: z.array(z.string().trim().min(1).max(50)).max(50).default([]),
    language: z.enum(languages).default('en'),
    teamIds: z.array(z.uuid()).max(50).default([]),
    signature: z.string().max(2000).optional(),
  })
  .strict();
export type CreateStaffInput = z.infer<typeof createStaffBody>;

export const updateStaffBody = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    role: z.enum(staffRoleNames).optional(),
    tier: z.union([z.literal(1), z.literal(2)]).nullable().optional(),
    skills: z.array(z.string().trim().min(1).max(50)).max(50).optional(),
    language: z.enum(languages).optional(),
    availability: z.enum(availabilities).optional(),
    active: z.boolean().optional(),
    signature: z.string().max(2000).nullable().optional(),
    password: z.string().min(10, 'must be at least 10 characters').max(1024).optional(),
  })
  .strict();
export type UpdateStaffInput = z.infer<typeof updateStaffBody>;

export const updateMeBody = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    language: z.enum(languages).optional(),
    availability: z.enum(availabilities).optional(),
    signature: z.string().max(2000).nullable().optional(),
  })
  .strict();

export const createPortalAccountBody = z
  .object({ customerId: z.uuid(), email: z.email().max(320), password: z.string().min(10, 'must be at least 10 characters').max(1024) })
  .strict();

export const idParams = z.object({ id: z.uuid() });

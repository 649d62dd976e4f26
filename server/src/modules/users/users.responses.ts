import { z } from 'zod';
import { pageOf } from '../../platform/openapi.js';
import { availability, userRole } from './users.table.js';

// What the staff and portal account routes answer, for the API documentation only (see
// tickets.responses.ts): a test holds real answers to them.

/** A staff member, or a customer's portal account (role `customer`). */
export const user = z.strictObject({
  id: z.uuid(),
  email: z.string(),
  name: z.string(),
  role: z.enum(userRole.enumValues),
  tier: z.union([z.literal(1), z.literal(2)]).nullable().describe('1 for first line, 2 for experts; null when not an agent'),
  skills: z.array(z.string()),
  availability: z.enum(availability.enumValues),
  language: z.string(),
  signature: z.string().nullable(),
  active: z.boolean().describe('False: the account can no longer sign in'),
  customerId: z.uuid().nullable().describe('The customer a portal account belongs to; null for staff'),
  teamIds: z.array(z.uuid()),
  createdAt: z.iso.datetime(),
});

export const userPage = pageOf(user);

import { z } from 'zod';
import { staffRoleNames } from '../../../../common/enums.js';
import { listOf } from '../../platform/openapi.js';
import { availability } from '../users/users.table.js';

// What the team routes answer, for the API documentation only (see tickets.responses.ts).

export const team = z.strictObject({
  id: z.uuid(),
  name: z.string(),
  description: z.string().nullable(),
  tier: z.union([z.literal(1), z.literal(2)]).nullable().describe('The tier the team works at: 1 for first line, 2 for experts'),
  timeZone: z.string().describe('IANA time zone of the team\'s business hours'),
  members: z.array(
    z.strictObject({ id: z.uuid(), name: z.string(), role: z.enum(staffRoleNames), availability: z.enum(availability.enumValues) }),
  ),
});

export const teamList = listOf(team);

import { z } from 'zod';
import { assignmentStrategies } from './dispatch.table.js';

// What the dispatch routes answer, for the API documentation only (see tickets.responses.ts).

export const assignmentRule = z.strictObject({
  teamId: z.uuid(),
  enabled: z.boolean().describe('A team that never set a rule answers the defaults, disabled'),
  strategy: z.enum(assignmentStrategies),
  maxOpenPerAgent: z.number().int().describe('Most open tickets an agent may hold before the dispatcher skips them'),
  lastAssignedUserId: z.uuid().nullable().describe('Who got the last ticket; round robin goes on from the next agent'),
});

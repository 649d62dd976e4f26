import { z } from 'zod';
import { staffRoleNames } from '../../../../common/enums.js';

// What the escalation, follow-up and agent report routes answer, for the API documentation only
// (see tickets.responses.ts).

const instant = z.iso.datetime();
const escalationTarget = z.enum(['tier2', 'supervisor']);

/** A handoff up a tier or to a supervisor, as staff see it. */
export const escalation = z.strictObject({
  id: z.uuid(),
  to: escalationTarget,
  requestedBy: z.enum(['agent', 'customer']).describe('A customer asks; an agent moves the ticket'),
  by: z.strictObject({ id: z.uuid(), name: z.string() }).nullable().describe('The agent or customer who raised it; null once their account is gone'),
  reason: z.string(),
  summary: z
    .strictObject({ tried: z.string(), customerAnswers: z.string() })
    .nullable()
    .describe('The handoff: what was tried and what the customer already answered (null on a customer request)'),
  fromTeamId: z.uuid().nullable(),
  toTeamId: z.uuid().nullable(),
  toUserId: z.uuid().nullable().describe('The supervisor it was handed to'),
  createdAt: instant,
});

/** What a customer sees of the escalation they asked for. */
export const customerEscalation = z.strictObject({ id: z.uuid(), to: escalationTarget, reason: z.string(), createdAt: instant });

export const escalationCreated = z.union([escalation, customerEscalation]).describe('Staff get the whole handoff; a customer only what they asked');

export const escalationList = z.strictObject({ data: z.array(escalation).describe('Newest first') });

export const followUp = z.strictObject({
  id: z.uuid(),
  ticketId: z.uuid(),
  agentId: z.uuid().nullable().describe('Who promised; null once their account is gone'),
  dueAt: instant,
  note: z.string(),
  state: z.enum(['pending', 'kept', 'missed']).describe('Kept by a public agent reply before it is due, else missed'),
  remindedAt: instant.nullable(),
  keptAt: instant.nullable(),
  missedAt: instant.nullable(),
  createdAt: instant,
});

export const followUpList = z.strictObject({ data: z.array(followUp).describe('Soonest due first') });

const count = z.number().int();

export const agentReport = z.strictObject({
  agents: z
    .array(
      z.strictObject({
        id: z.uuid(),
        name: z.string(),
        role: z.enum(staffRoleNames),
        tier: z.number().int().nullable(),
        escalations: count.describe('Tickets they escalated'),
        solved: count,
        solvedAtLevel1: count.describe('Solved while the ticket sat with a level-1 team (or none)'),
        firstContactResolved: count.describe('Solved at level 1, never escalated and never reopened'),
        firstContactResolutionRate: z.number().min(0).max(1).nullable().describe('firstContactResolved / solvedAtLevel1; null when nothing was solved at level 1'),
      }),
    )
    .describe('Staff who solved or escalated something in the period, by name'),
  teams: z
    .array(
      z.strictObject({
        id: z.uuid(),
        name: z.string(),
        tier: z.number().int().nullable(),
        escalatedOut: count.describe('Escalated by agents away from this team'),
        escalatedIn: count.describe('Escalated to this team from elsewhere'),
        customerRequests: count.describe("Customers' requests for escalation of the team's tickets"),
      }),
    )
    .describe('Every team, by name'),
});

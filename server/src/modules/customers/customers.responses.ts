import { z } from 'zod';
import { ticketChannel, ticketStatus } from '../tickets/tickets.table.js';
import { customerKind } from './customers.table.js';

// What the customer routes answer, for the API documentation only (see tickets.responses.ts).

const instant = z.iso.datetime();

export const customer = z.strictObject({
  id: z.uuid(),
  name: z.string(),
  emails: z.array(z.string()),
  phones: z.array(z.string()),
  kind: z.enum(customerKind.enumValues),
  department: z.string().nullable(),
  organization: z.strictObject({ id: z.uuid(), name: z.string().nullable() }).nullable(),
  language: z.string(),
  timeZone: z.string().nullable(),
  notes: z.string().nullable(),
  tier: z.string().nullable().describe('Service tier; set by admins and managers'),
  createdAt: instant,
  updatedAt: instant,
});

export const customerPage = z.strictObject({ data: z.array(customer), nextCursor: z.string().nullable() });

const ticketSummary = z.strictObject({
  id: z.uuid(),
  number: z.number().int(),
  reference: z.string(),
  subject: z.string(),
  status: z.enum(ticketStatus.enumValues),
  channel: z.enum(ticketChannel.enumValues),
  solved: z.boolean(),
  createdAt: instant,
  updatedAt: instant,
  solvedAt: instant.nullable(),
});

/** The side panel: the customer, their tickets, their last problem and whether it was solved, recent events. */
export const customerContext = z.strictObject({
  customer,
  ticketCount: z.number().int(),
  openCount: z.number().int(),
  lastProblem: ticketSummary.nullable().describe('Their newest ticket; beside a ticket (include=context), the newest other than that one'),
  tickets: z.array(ticketSummary),
  recentEvents: z.array(
    z.strictObject({ id: z.number().int(), ticketId: z.uuid(), number: z.number().int().nullable(), type: z.string(), actor: z.string().nullable(), createdAt: instant }),
  ),
});

export const organization = z.strictObject({
  id: z.uuid(),
  name: z.string(),
  domains: z.array(z.string()).describe('New customers writing from these domains join the organization'),
  notes: z.string().nullable(),
  tier: z.string().nullable().describe('Service tier; SLA policies may match on it'),
  createdAt: instant,
});

export const organizationPage = z.strictObject({ data: z.array(organization), nextCursor: z.string().nullable() });

import { z } from 'zod';
import { ticketEventTypes } from '../../platform/events.js';
import { pageOf } from '../../platform/openapi.js';
import { slaTarget } from '../sla/sla.responses.js';
import { slaMetrics } from '../sla/sla.table.js';
import { slaSummaryStates } from './ticket-sla-list.js';
import { messageAuthorKind, ticketChannel, ticketPriority, ticketStatus } from './tickets.table.js';

// What the ticket routes answer, for the API documentation (`/api/openapi.json`). Not used to
// serialize: a test holds real answers to them, so the documentation cannot drift from the code.

const instant = z.iso.datetime();
const named = z.strictObject({ id: z.uuid(), name: z.string() });

const ticketFields = {
  id: z.uuid(),
  number: z.number().int(),
  reference: z.string().describe('The number as people write it: "#1042"'),
  subject: z.string(),
  channel: z.enum(ticketChannel.enumValues),
  status: z.enum(ticketStatus.enumValues),
  priority: z.enum(ticketPriority.enumValues),
  category: z.string().nullable(),
  tags: z.array(z.string()),
  requester: z.strictObject({ id: z.uuid(), name: z.string(), email: z.string().nullable() }),
  assignee: named.nullable(),
  team: named.nullable(),
  mergedIntoId: z.uuid().nullable().describe('The ticket this one was merged into; null when not merged, or when the reader may not open that ticket'),
  version: z.number().int().describe('Send it back (or If-Match) to refuse a stale change'),
  messageCount: z.number().int().describe('Customers count only public messages'),
  lastMessageAt: instant.nullable(),
  firstResponseAt: instant.nullable(),
  solvedAt: instant.nullable(),
  closedAt: instant.nullable(),
  createdAt: instant,
  updatedAt: instant,
};

/** A ticket in a list: its most urgent open SLA target, or null. */
export const ticketListItem = z.strictObject({
  ...ticketFields,
  sla: z
    .strictObject({ metric: z.enum(slaMetrics), dueAt: instant.nullable(), warnAt: instant.nullable(), state: z.enum(slaSummaryStates) })
    .nullable(),
});

export const ticketPage = z.strictObject({ data: z.array(ticketListItem), nextCursor: z.string().nullable() });

const attachment = z.strictObject({ id: z.uuid(), filename: z.string(), contentType: z.string(), size: z.number().int(), url: z.string() });

const delivery = z.strictObject({
  state: z.enum(['queued', 'sending', 'sent', 'retrying', 'failed', 'bounced']),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  nextAttemptAt: instant.nullable(),
  outboundId: z.uuid(),
});

export const ticketMessage = z.strictObject({
  id: z.uuid(),
  ticketId: z.uuid(),
  internal: z.boolean(),
  kind: z.enum(['reply', 'note']),
  authorKind: z.enum(messageAuthorKind.enumValues),
  author: named.nullable(),
  channel: z.enum(ticketChannel.enumValues),
  body: z.string(),
  createdAt: instant,
  attachments: z.array(attachment),
  delivery: delivery.nullable().optional().describe('Staff only: how the reply went out by email (null when it did not)'),
});

const ticketWithPromises = {
  ...ticketFields,
  sla: z.array(slaTarget),
  escalation: z.looseObject({}).nullable().describe('Staff only: the latest handoff to tier 2 or a supervisor'),
};

/** A ticket with its messages (`include=context` adds the customer side panel). */
export const ticketDetail = z.strictObject({
  ...ticketWithPromises,
  messages: z.array(ticketMessage),
  context: z.looseObject({}).optional().describe('With include=context, for staff: the customer side panel'),
});

export const addedMessage = z.strictObject({ message: ticketMessage, ticket: z.strictObject(ticketWithPromises) });

export const ticketCounts = z.strictObject({
  mine: z.number().int(),
  unassigned: z.number().int(),
  open: z.number().int().describe('New, open, pending or on hold'),
  all: z.number().int(),
  solvedRecently: z.number().int(),
  atRisk: z.number().int().describe('Open tickets with a promise past its warning time'),
  breached: z.number().int(),
  solvedSince: instant.describe('"Recently" starts here'),
  teams: z.record(z.uuid(), z.number().int()).describe("Open tickets per team, by team id, within the caller's scope"),
});

export const ticketTimeline = pageOf(
  z.strictObject({
    id: z.number().int(),
    type: z.enum(ticketEventTypes),
    actor: named.nullable().describe('Who made the change: a staff member or the customer; null for the system'),
    data: z.record(z.string(), z.unknown()).describe('What changed; the keys depend on the type'),
    createdAt: instant,
  }),
);

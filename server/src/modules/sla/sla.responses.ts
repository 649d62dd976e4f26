import { z } from 'zod';
import { ticketChannels, ticketPriorities } from '../../../../common/enums.js';
import { ticketStatus } from '../tickets/tickets.table.js';
import { slaMetrics } from './sla.table.js';

// What the SLA settings, at-risk and notification routes answer, for the API documentation only
// (see tickets.responses.ts): a test holds real answers to them.

const instant = z.iso.datetime();

export const businessCalendar = z.strictObject({
  id: z.uuid(),
  name: z.string(),
  teamId: z.uuid().nullable().describe("The team it belongs to; null for the desk's default calendar"),
  isDefault: z.boolean().describe('The calendar of every team without its own; it cannot be removed'),
  timeZone: z.string().nullable().describe("IANA time zone; null: the team's time zone (UTC for the default)"),
  hours: z
    .array(z.strictObject({ day: z.number().int().min(0).max(6).describe('0 is Sunday'), start: z.string(), end: z.string().describe('HH:MM local time; may be 24:00') }))
    .describe('Opening intervals in local wall time'),
  holidays: z.array(z.iso.date()).describe('Closed all day'),
  updatedAt: instant,
});

export const calendarList = z.strictObject({ data: z.array(businessCalendar) });

const targetSpec = z.strictObject({
  metric: z.enum(slaMetrics),
  seconds: z.number().int(),
  businessHours: z.boolean().describe('Counts opening hours of the calendar, not wall-clock time'),
});

export const slaPolicy = z.strictObject({
  id: z.uuid(),
  name: z.string(),
  position: z.number().int().describe('Matching order: the first active policy whose conditions all hold applies'),
  active: z.boolean(),
  conditions: z
    .strictObject({
      channels: z.array(z.enum(ticketChannels)).optional(),
      priorities: z.array(z.enum(ticketPriorities)).optional(),
      organizationIds: z.array(z.uuid()).optional(),
      tiers: z.array(z.string()).optional().describe("The requester's service tier (their own, else their organization's)"),
      categories: z.array(z.string()).optional(),
      teamIds: z.array(z.uuid()).optional(),
      tags: z.array(z.string()).optional().describe('Any one of them'),
    })
    .describe('Every listed condition must hold; a missing or empty list matches anything'),
  targets: z.array(targetSpec),
  warnAt: z.number().describe('Share of the target after which a warning fires'),
  breachActions: z.strictObject({
    raisePriority: z.boolean().optional(),
    reassignTeamId: z.uuid().nullable().optional(),
    notifyUserIds: z.array(z.uuid()).optional(),
  }),
  updatedAt: instant,
});

export const policyList = z.strictObject({ data: z.array(slaPolicy) });

/** One promise on one ticket, as staff see it (the same shape as a ticket's `sla` entries). */
export const slaTarget = z.strictObject({
  metric: z.enum(slaMetrics),
  dueAt: instant.nullable().describe('Null while paused'),
  state: z.enum(['active', 'warning', 'paused', 'met', 'breached', 'cancelled']),
  targetSeconds: z.number().int(),
  businessHours: z.boolean(),
  remainingSeconds: z.number().int().nullable().describe('Business seconds left while paused; null while the clock runs'),
  internal: z.boolean().describe('Time at level 2: never shown to customers'),
  warnAt: instant.nullable(),
  warnedAt: instant.nullable(),
  breachedAt: instant.nullable(),
  metAt: instant.nullable(),
});

export const atRiskList = z.strictObject({
  data: z.array(
    z.strictObject({
      ticket: z.strictObject({
        id: z.uuid(),
        number: z.number().int(),
        subject: z.string(),
        status: z.enum(ticketStatus.enumValues),
        assigneeId: z.uuid().nullable(),
        teamId: z.uuid().nullable(),
      }),
      target: slaTarget,
    }),
  ).describe('Soonest due first (no due time last), ties in due time by target id'),
  nextCursor: z.string().nullable().describe('Sent back as `cursor` for the next page; null at the end'),
});

const notificationFields = {
  id: z.uuid(),
  ticketId: z.uuid().nullable(),
  createdAt: instant,
  readAt: instant.nullable(),
};
const ticketNumber = z.number().int().describe("The ticket's number");

const slaNotice = z.strictObject({
  metric: z.enum(slaMetrics),
  dueAt: instant.nullable(),
  targetId: z.uuid(),
  internal: z.boolean(),
  number: ticketNumber,
  subject: z.string(),
});
const followUpNotice = z.strictObject({ followUpId: z.uuid(), dueAt: instant, note: z.string(), number: ticketNumber });

/** A message to staff; what `data` holds depends on `kind`. */
export const staffNotification = z.discriminatedUnion('kind', [
  z.strictObject({ ...notificationFields, kind: z.literal('sla.warning'), data: slaNotice }),
  z.strictObject({ ...notificationFields, kind: z.literal('sla.breached'), data: slaNotice }),
  z.strictObject({
    ...notificationFields,
    kind: z.literal('ticket.escalation_requested'),
    data: z.strictObject({
      escalationId: z.uuid(),
      to: z.enum(['tier2', 'supervisor']),
      reason: z.string(),
      requestedBy: z.literal('customer'),
      number: ticketNumber,
    }),
  }),
  z.strictObject({ ...notificationFields, kind: z.literal('followup.reminder'), data: followUpNotice }),
  z.strictObject({ ...notificationFields, kind: z.literal('followup.missed'), data: followUpNotice }),
]);

export const notificationList = z.strictObject({
  data: z.array(staffNotification).describe('Newest first, ties in time by id'),
  nextCursor: z.string().nullable().describe('Sent back as `cursor` for the next page; null at the end'),
});

export const notificationsRead = z.strictObject({ updated: z.number().int().describe('How many were unread and are now read') });

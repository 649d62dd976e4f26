import { z } from 'zod';
import { ticketChannels, ticketPriorities } from '../../../../common/enums.js';
import { tierInput, timeZoneInput } from '../customers/customers.schema.js';
import { slaMetrics } from './sla.table.js';
import { pageLimit } from '../../platform/cursor.js';

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'expected HH:MM');
export const openingHoursInput = z
  .strictObject({ day: z.number().int().min(0).max(6), start: hhmm, end: hhmm })
  .refine((h) => h.start < h.end, { message: 'end must be after start', path: ['end'] });

export const calendarBody = z
  .object({
    name: z.string().trim().min(1).max(100),
    // A new calendar belongs to a team: the default one (no team) exists already and is changed with PATCH.
    teamId: z.uuid(),
    timeZone: timeZoneInput.nullable().optional(),
    hours: z.array(openingHoursInput).min(1).max(70),
    holidays: z.array(z.iso.date()).max(1000).default([]),
  })
  .strict();
// A change takes only the fields sent: the creation defaults must not fill in (and so reset) the others.
export const calendarPatch = calendarBody
  .omit({ teamId: true })
  .extend({ holidays: calendarBody.shape.holidays.unwrap() })
  .partial()
  .strict();

export const targetSpecInput = z.strictObject({
  metric: z.enum(slaMetrics),
  seconds: z.number().int().min(1).max(366 * 86400),
  businessHours: z.boolean().default(true),
});
export const policyBody = z
  .object({
    name: z.string().trim().min(1).max(100),
    position: z.number().int().min(0).max(100000).default(100),
    active: z.boolean().default(true),
    conditions: z
      .object({
        channels: z.array(z.enum(ticketChannels)).max(10).optional(),
        priorities: z.array(z.enum(ticketPriorities)).max(4).optional(),
        organizationIds: z.array(z.uuid()).max(500).optional(),
        tiers: z.array(tierInput).max(50).optional(),
        categories: z.array(z.string().trim().min(1).max(100)).max(100).optional(),
        teamIds: z.array(z.uuid()).max(500).optional(),
        tags: z.array(z.string().trim().toLowerCase().min(1).max(50)).max(100).optional(),
      })
      .strict()
      .default({}),
    targets: z
      .array(targetSpecInput)
      .max(slaMetrics.length)
      .refine((t) => new Set(t.map((x) => x.metric)).size === t.length, { message: 'each metric at most once' }),
    warnAt: z.number().min(0.05).max(0.99).default(0.75),
    breachActions: z
      .object({ raisePriority: z.boolean().optional(), reassignTeamId: z.uuid().nullable().optional(), notifyUserIds: z.array(z.uuid()).max(50).optional() })
      .strict()
      .default({}),
  })
  .strict();
export const policyPatch = policyBody
  .extend({
    position: policyBody.shape.position.unwrap(),
    active: policyBody.shape.active.unwrap(),
    conditions: policyBody.shape.conditions.unwrap(),
    warnAt: policyBody.shape.warnAt.unwrap(),
    breachActions: policyBody.shape.breachActions.unwrap(),
  })
  .partial()
  .strict();

export const idParams = z.object({ id: z.uuid() });
export const atRiskQuery = z.strictObject({
  state: z.enum(['warning', 'breached', 'at_risk']).default('at_risk'),
  limit: pageLimit(),
  cursor: z.string().max(500).optional(),
});

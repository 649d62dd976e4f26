import { z } from 'zod';
import { languages, limits, ticketChannels, ticketPriorities, ticketStatuses } from '../../../../common/enums.js';
import { pageLimit } from '../../platform/cursor.js';
import { instantInput } from '../../platform/instant.js';

/** Tags are compared in lower case, as tiers are: "VIP" and "vip" are one tag, found by either. */
export const tagInput = z.string().trim().toLowerCase().min(1).max(limits.tag);
const tag = tagInput;

/** A MIME type as an HTTP header may carry it back on download: type/subtype and plain parameters. */
export const mimeType = /^[\w.+-]+\/[\w.+-]+([ \t]*;[ \t]*[\w.+-]+=("[\x20-\x7e]*"|[\w.+-]+))*$/;

/** A message's text as written (not trimmed: indentation may matter), but never only spaces and newlines. */
const messageBody = z.string().min(1).max(limits.body).refine((v) => v.trim() !== '', 'must not be blank');

export const attachmentInput = z.strictObject({
  filename: z.string().trim().min(1).max(255),
  contentType: z.string().trim().min(1).max(200).regex(mimeType, 'must be a MIME type such as image/png').default('application/octet-stream'),
  contentBase64: z.string().min(1).base64(),
});

export const requesterInput = z.strictObject({
  email: z.email().max(320),
  name: z.string().trim().min(1).max(200).optional(),
  language: z.enum(languages).optional(),
});

export const createTicketBody = z
  .object({
    subject: z.string().trim().min(1).max(limits.subject),
    channel: z.enum(ticketChannels),
    body: messageBody,
    requester: requesterInput.optional(),
    requesterId: z.uuid().optional(),
    priority: z.enum(ticketPriorities).optional(),
    status: z.enum(ticketStatuses).optional(),
    category: z.string().trim().min(1).max(100).optional(),
    tags: z.array(tag).max(limits.tags).optional(),
    teamId: z.uuid().optional(),
    assigneeId: z.uuid().optional(),
    attachments: z.array(attachmentInput).max(limits.attachmentsPerMessage).optional(),
  })
  .strict();
export type CreateTicketInput = z.infer<typeof createTicketBody>;

export const updateTicketBody = z
  .object({
    subject: z.string().trim().min(1).max(limits.subject).optional(),
    status: z.enum(ticketStatuses).optional(),
    priority: z.enum(ticketPriorities).optional(),
    category: z.string().trim().min(1).max(100).nullable().optional(),
    tags: z.array(tag).max(limits.tags).optional(),
    teamId: z.uuid().nullable().optional(),
    /** `me`: the caller, as in the list filter. */
    assigneeId: z.union([z.uuid(), z.literal('me')]).nullable().optional(),
    /** The version the client last read; a newer one on the server answers 409. */
    version: z.number().int().positive().optional(),
    // Empty is no note; spaces alone would be an empty internal note in the history.
    note: z.string().max(limits.body).refine((v) => v === '' || v.trim() !== '', 'must not be blank').optional(),
  })
  .strict();
export type UpdateTicketInput = z.infer<typeof updateTicketBody>;

export const addMessageBody = z
  .object({
    body: messageBody,
    internal: z.boolean().default(false),
    attachments: z.array(attachmentInput).max(limits.attachmentsPerMessage).optional(),
    /** Optional status to set with the reply, as agents usually do ("reply and set pending"). */
    status: z.enum(ticketStatuses).optional(),
  })
  .strict();
export type AddMessageInput = z.infer<typeof addMessageBody>;

const csv = <const T extends readonly [string, ...string[]]>(values: T) =>
  z
    .union([z.string(), z.array(z.string())])
    .transform((v) => (Array.isArray(v) ? v : v.split(',')).map((s) => s.trim()).filter(Boolean))
    .pipe(z.array(z.enum(values)));

export const sortFields = ['updatedAt', 'createdAt', 'number', 'priority', 'slaDueAt'] as const;

export const listTicketsQuery = z.object({
  q: z.string().trim().min(1).max(200).optional(),
  status: csv(ticketStatuses).optional(),
  priority: csv(ticketPriorities).optional(),
  channel: csv(ticketChannels).optional(),
  assigneeId: z.union([z.uuid(), z.literal('none'), z.literal('me')]).optional(),
  teamId: z.union([z.uuid(), z.literal('none')]).optional(),
  requesterId: z.uuid().optional(),
  tag: tagInput.optional(),
  updatedSince: instantInput().optional(),
  /** Tickets whose most urgent open SLA target is at risk (past its warning share) or breached. */
  sla: z.enum(['at_risk', 'breached']).optional(),
  sort: z
    .string()
    .regex(new RegExp(`^-?(${sortFields.join('|')})$`), `must be one of ${sortFields.join(', ')}, optionally prefixed with -`)
    .default('-updatedAt'),
  limit: pageLimit(25),
  cursor: z.string().max(500).optional(),
})
  // A misspelt filter (`stauts=open`) must not silently answer every ticket.
  .strict();
export type ListTicketsQuery = z.infer<typeof listTicketsQuery>;

export const ticketIdParams = z.object({ id: z.uuid() });

export const timelineQuery = z
  .object({
    limit: pageLimit(),
    cursor: z.string().max(500).optional().describe('nextCursor from the previous page'),
  })
  .strict();
export type TimelineQuery = z.infer<typeof timelineQuery>;

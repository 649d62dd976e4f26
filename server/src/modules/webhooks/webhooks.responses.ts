import { z } from 'zod';
import { listOf, pageOf } from '../../platform/openapi.js';
import { ticketEventTypes } from '../../platform/events.js';

// What the webhook routes answer, for the API documentation only (see tickets/tickets.responses.ts).

const instant = z.iso.datetime();

const webhookFields = {
  id: z.uuid(),
  url: z.string(),
  events: z.array(z.enum(ticketEventTypes)).describe('Event types it receives; empty means every event'),
  active: z.boolean(),
  createdAt: instant,
};

export const webhook = z.strictObject(webhookFields);
export const webhookList = listOf(webhook);

export const createdWebhook = z.strictObject({
  ...webhookFields,
  secret: z.string().describe('The signing secret, shown only in this answer: X-Frontline-Signature is t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">'),
});

/** Newest first; `nextCursor` goes back as `cursor`. */
export const deliveryList = pageOf(
  z.strictObject({
    id: z.number().int(),
    eventId: z.number().int(),
    statusCode: z.number().int().nullable().describe('The receiver\'s HTTP status; null when it could not be reached'),
    error: z.string().nullable().describe('Why the delivery failed; null when the receiver answered 2xx'),
    deliveredAt: instant,
  }),
);

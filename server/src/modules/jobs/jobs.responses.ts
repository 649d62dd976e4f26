import { z } from 'zod';
import { pageOf } from '../../platform/openapi.js';
import { jobStatus } from '../../platform/jobs/jobs.table.js';

// What the background job routes answer, for the API documentation only (see tickets/tickets.responses.ts).

const instant = z.iso.datetime();

export const job = z.strictObject({
  id: z.number().int(),
  name: z.string().describe('The kind of work, e.g. "email.send" or "webhooks.deliver"'),
  status: z.enum(jobStatus.enumValues),
  attempts: z.number().int(),
  maxAttempts: z.number().int().describe('After this many failed attempts the job stays failed until retried'),
  runAt: instant.describe('When it runs next (or ran last)'),
  lastError: z.string().nullable(),
  payload: z.record(z.string(), z.unknown()).describe('What the job works on: ids of the rows concerned'),
  createdAt: instant,
  finishedAt: instant.nullable(),
});

/** Newest first; `nextCursor` goes back as `cursor`. */
export const jobPage = pageOf(job);

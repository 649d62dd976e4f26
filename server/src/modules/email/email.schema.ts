import { z } from 'zod';
import { pageLimit } from '../../platform/cursor.js';

const imapInput = z.object({
  host: z.string().min(1).max(255),
  port: z.number().int().min(1).max(65535).default(993),
  secure: z.boolean().default(true),
  user: z.string().min(1).max(255),
  password: z.string().min(1).max(500).optional(),
  folder: z.string().min(1).max(255).default('INBOX'),
}).strict();

const smtpUrl = z.string().max(1000).regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://');

export const mailboxInput = z.object({
  address: z.string().trim().max(320).regex(/^[^\s@<>]+@[^\s@<>]+$/, 'must be an email address'),
  name: z.string().trim().min(1).max(200),
  teamId: z.uuid().nullable().optional(),
  inboundMethod: z.enum(['smtp', 'imap', 'http']).default('smtp'),
  imap: imapInput.nullable().optional(),
  smtpUrl: smtpUrl.nullable().optional(),
  responseHours: z.number().int().min(1).max(24 * 30).default(4),
  closedReplyAction: z.enum(['follow_up', 'reopen']).default('follow_up'),
  autoReplies: z.boolean().default(true),
  active: z.boolean().default(true),
}).strict();
export type MailboxInput = z.infer<typeof mailboxInput>;

export const mailboxPatch = z.object({
  name: z.string().trim().min(1).max(200).optional(),
  teamId: z.uuid().nullable().optional(),
  inboundMethod: z.enum(['smtp', 'imap', 'http']).optional(),
  imap: imapInput.nullable().optional(),
  smtpUrl: smtpUrl.nullable().optional(),
  responseHours: z.number().int().min(1).max(24 * 30).optional(),
  closedReplyAction: z.enum(['follow_up', 'reopen']).optional(),
  autoReplies: z.boolean().optional(),
  active: z.boolean().optional(),
}).strict();
export type MailboxPatch = z.infer<typeof mailboxPatch>;

export const idParams = z.object({ id: z.uuid() });
export const ticketParams = z.object({ ticketId: z.uuid() });
export const inboundListQuery = z.strictObject({
  status: z.enum(['pending', 'processed', 'duplicate', 'bounce', 'failed']).optional(),
  limit: pageLimit(),
  cursor: z.string().max(500).optional(),
});

import { z } from 'zod';
import { listOf, pageOf } from '../../platform/openapi.js';
import { closedReplyAction, inboundMethod, inboundStatus, outboundKind, outboundStatus } from './email.table.js';

// What the email routes answer, for the API documentation (see tickets.responses.ts); tests hold real answers to them.

const instant = z.iso.datetime();

export const mailbox = z.strictObject({
  id: z.uuid(),
  address: z.string(),
  name: z.string(),
  teamId: z.uuid().nullable().describe('New tickets from this mailbox go to this team'),
  inboundMethod: z.enum(inboundMethod.enumValues),
  imap: z
    .strictObject({
      host: z.string(),
      port: z.number().int(),
      secure: z.boolean(),
      user: z.string(),
      folder: z.string(),
      passwordSet: z.boolean().describe('The password itself is never returned'),
      error: z.string().nullable().describe("Why fetching fails, in the IMAP server's words (e.g. a refused password); null while it works"),
      errorAt: instant.nullable().describe('Since when fetching fails'),
    })
    .nullable(),
  smtpConfigured: z.boolean().describe('Whether the mailbox has its own SMTP relay (its URL holds a password, so it is never returned)'),
  responseHours: z.number().int(),
  closedReplyAction: z.enum(closedReplyAction.enumValues).describe('What a reply to a closed ticket does'),
  autoReplies: z.boolean(),
  active: z.boolean(),
  createdAt: instant,
});

export const mailboxList = listOf(mailbox);

export const accepted = z.strictObject({
  id: z.uuid(),
  duplicate: z.boolean().describe('True when the same bytes were already received; it is not applied twice. A copy by another path (other bytes, same Message-ID and content) is told apart when processed: its status becomes duplicate'),
});

export const inbound = z.strictObject({
  id: z.uuid(),
  source: z.string().describe('smtp, imap or http'),
  status: z.enum(inboundStatus.enumValues),
  size: z.number().int(),
  subject: z.string().nullable(),
  from: z.string().nullable(),
  messageIdHeader: z.string().nullable(),
  attempts: z.number().int(),
  retries: z.number().int(),
  error: z.string().nullable().describe('Why processing failed'),
  headersOnly: z
    .boolean()
    .describe('Over the size limit when fetched by IMAP: only its headers were kept and the message stays on the mail server, until the limit allows it (then it is fetched, and this entry is a duplicate replaced by the fetched one)'),
  replacedBy: z.uuid().nullable().describe('Held mail (headersOnly) fetched whole once the limit allowed it: the inbound message that holds it now'),
  ticketId: z.uuid().nullable(),
  messageId: z.uuid().nullable(),
  receivedAt: instant,
  processedAt: instant.nullable(),
});

export const inboundList = pageOf(inbound);

export const retrying = z.strictObject({ id: z.uuid(), status: z.literal('pending') });

export const outbound = z.strictObject({
  id: z.uuid(),
  kind: z.enum(outboundKind.enumValues),
  messageId: z.uuid().nullable(),
  to: z.string(),
  cc: z.array(z.string()),
  subject: z.string(),
  messageIdHeader: z.string(),
  inReplyTo: z.string().nullable(),
  status: z.enum(outboundStatus.enumValues),
  attempts: z.number().int(),
  lastError: z.string().nullable().describe("The relay's last answer, e.g. 451 or 550 with its text"),
  nextAttemptAt: instant.nullable().describe('While a failed send waits to be tried again on its own: when'),
  bounceReason: z.string().nullable(),
  sentAt: instant.nullable(),
  createdAt: instant,
});

export const ticketMail = z.strictObject({
  participants: z.array(z.strictObject({ email: z.string(), name: z.string().nullable() })).describe("People Cc'd on the ticket's mail"),
  messages: z.array(
    z.strictObject({
      messageId: z.uuid(),
      direction: z.enum(['in', 'out']),
      messageIdHeader: z.string(),
      from: z.string().nullable(),
      to: z.array(z.string()),
      cc: z.array(z.string()),
      subject: z.string().nullable(),
      html: z.string().nullable().describe('Sanitised; remote images only as data-remote-src until the agent allows them'),
      fullText: z.string().nullable().describe('The whole text, quoted history and signature included'),
      collapsed: z.boolean().describe('True when quoted history or a signature was folded out of the message body'),
      remoteImages: z.number().int(),
      delivery: outbound.nullable().describe('For messages we sent: how their delivery went'),
    }),
  ),
  notifications: z.array(outbound).describe('Acknowledgements and resolution notices sent to the customer'),
});

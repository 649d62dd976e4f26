import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import type { AppContext } from '../../platform/context.js';
import { AppError, notFound } from '../../platform/errors.js';
import type { Actor } from '../../platform/permissions.js';
import { limits } from '../../../../common/enums.js';
import { canSeeTicket } from './tickets.policy.js';
import { attachments, messages, tickets } from './tickets.table.js';

export type StoredFile = { filename: string; contentType: string; size: number; storageKey: string };
export type IncomingFile = { filename: string; contentType: string; contentBase64: string };

/** Bytes are written before the transaction; a crash in between leaves an unreferenced file, never a lost one. */
export async function storeFiles(ctx: AppContext, files: IncomingFile[] | undefined): Promise<StoredFile[]> {
  const stored: StoredFile[] = [];
  for (const [i, f] of (files ?? []).entries()) {
    const data = Buffer.from(f.contentBase64, 'base64');
    if (data.length > limits.attachmentBytes) {
      throw new AppError(413, 'attachment_too_large', `attachments.${i}: larger than ${limits.attachmentBytes} bytes`, {
        field: `attachments.${i}`,
      });
    }
    stored.push({ filename: f.filename, contentType: f.contentType, size: data.length, storageKey: await ctx.storage.put(data) });
  }
  return stored;
}

export async function attachFiles(tx: DbOrTx, ticketId: string, messageId: string, files: StoredFile[]) {
  if (!files.length) return [];
  return tx
    .insert(attachments)
    .values(files.map((f) => ({ ...f, ticketId, messageId })))
    .returning();
}

export async function readAttachment(ctx: AppContext, actor: Actor, id: string) {
  const [row] = await ctx.db
    .select({ file: attachments, internal: messages.internal, ticket: tickets })
    .from(attachments)
    .innerJoin(messages, eq(messages.id, attachments.messageId))
    .innerJoin(tickets, eq(tickets.id, attachments.ticketId))
    .where(eq(attachments.id, id));
  if (!row || !canSeeTicket(actor, row.ticket) || (row.internal && actor.role === 'customer')) throw notFound('Attachment');
  return { file: row.file, data: await ctx.storage.get(row.file.storageKey) };
}

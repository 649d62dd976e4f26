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

/**
 * Bytes are written before the transaction; a crash in between leaves an unreferenced file, never a
 * lost one. Every size is checked before the first file is written.
 */
export async function storeFiles(ctx: AppContext, files: IncomingFile[] | undefined): Promise<StoredFile[]> {
  const decoded = (files ?? []).map((f, i) => {
    const data = Buffer.from(f.contentBase64, 'base64');
    if (data.length > limits.attachmentBytes) {
      throw new AppError(413, 'attachment_too_large', `attachments.${i}: larger than ${limits.attachmentBytes} bytes`, {
        field: `attachments.${i}`,
      });
    }
    return { f, data };
  });
  const stored: StoredFile[] = [];
  try {
    for (const { f, data } of decoded) stored.push({ filename: f.filename, contentType: f.contentType, size: data.length, storageKey: await ctx.storage.put(data) });
  } catch (err) {
    await removeFiles(ctx, stored);
    throw err;
  }
  return stored;
}

const removeFiles = (ctx: AppContext, files: StoredFile[]) => Promise.all(files.map((f) => ctx.storage.remove(f.storageKey).catch(() => undefined)));

/**
 * Runs the write that refers to stored files. When it is refused (no such ticket, a conflict, not
 * allowed) the files go too. Any other failure keeps them: the write may have committed.
 */
export async function withFiles<T>(ctx: AppContext, files: StoredFile[], write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (err instanceof AppError) await removeFiles(ctx, files);
    throw err;
  }
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

import { eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import type { AppContext } from '../../platform/context.js';
import { badRequest, conflict, notFound } from '../../platform/errors.js';
import { teams } from '../teams/teams.table.js';
import { mailboxes, type ImapSettings } from './email.table.js';
import type { MailboxInput, MailboxPatch } from './email.schema.js';

export type MailboxRow = typeof mailboxes.$inferSelect;

/** The mailbox named by FRONTLINE_SUPPORT_ADDRESS exists from the first start. */
export async function ensureDefaultMailbox(ctx: AppContext): Promise<MailboxRow> {
  const address = ctx.config.supportAddress;
  await ctx.db
    .insert(mailboxes)
    .values({ address, name: 'Support', inboundMethod: 'smtp' })
    .onConflictDoNothing();
  const [row] = await ctx.db.select().from(mailboxes).where(sql`lower(${mailboxes.address}) = ${address}`);
  return row;
}

export async function allMailboxes(tx: DbOrTx): Promise<MailboxRow[]> {
  return tx.select().from(mailboxes).orderBy(mailboxes.createdAt);
}

/** The mailbox a message was sent to: the first recipient we own, else the default one. */
export async function mailboxFor(ctx: AppContext, tx: DbOrTx, recipients: string[]): Promise<MailboxRow> {
  const rows = await allMailboxes(tx);
  const wanted = recipients.map((r) => r.toLowerCase());
  const match = wanted.map((r) => rows.find((m) => m.address.toLowerCase() === r)).find(Boolean);
  if (match) return match;
  return rows.find((m) => m.address.toLowerCase() === ctx.config.supportAddress) ?? (await ensureDefaultMailbox(ctx));
}

/** Which of these addresses are the desk's own mailboxes (lower case), in one query. */
export async function ownAddresses(tx: DbOrTx, addresses: string[]): Promise<Set<string>> {
  const wanted = [...new Set(addresses.map((a) => a.toLowerCase()))];
  if (!wanted.length) return new Set();
  const rows = await tx
    .select({ address: sql<string>`lower(${mailboxes.address})` })
    .from(mailboxes)
    .where(inArray(sql`lower(${mailboxes.address})`, wanted));
  return new Set(rows.map((r) => r.address));
}

export function presentMailbox(m: MailboxRow) {
  return {
    id: m.id,
    address: m.address,
    name: m.name,
    teamId: m.teamId,
    inboundMethod: m.inboundMethod,
    imap: m.imap
      ? { host: m.imap.host, port: m.imap.port, secure: m.imap.secure, user: m.imap.user, folder: m.imap.folder, passwordSet: !!m.imap.password, error: m.imapError, errorAt: m.imapErrorAt?.toISOString() ?? null }
      : null,
    smtpConfigured: !!m.smtpUrl,
    responseHours: m.responseHours,
    closedReplyAction: m.closedReplyAction,
    autoReplies: m.autoReplies,
    active: m.active,
    createdAt: m.createdAt.toISOString(),
  };
}

async function assertTeam(tx: DbOrTx, teamId: string | null | undefined) {
  if (!teamId) return;
  const [t] = await tx.select({ id: teams.id }).from(teams).where(eq(teams.id, teamId));
  if (!t) throw badRequest('invalid_team', 'teamId: no such team', { field: 'teamId' });
}

function imapOf(input: MailboxInput['imap'], previous: ImapSettings | null): ImapSettings | null {
  if (!input) return null;
  const password = input.password ?? previous?.password;
  if (!password) throw badRequest('invalid_imap', 'imap.password: required', { field: 'imap.password' });
  return { host: input.host, port: input.port, secure: input.secure, user: input.user, password, folder: input.folder };
}

export async function createMailbox(ctx: AppContext, input: MailboxInput) {
  if (input.inboundMethod === 'imap' && !input.imap) throw badRequest('invalid_imap', 'imap: required for IMAP mailboxes', { field: 'imap' });
  return ctx.db.transaction(async (tx) => {
    await assertTeam(tx, input.teamId);
    const [row] = await tx
      .insert(mailboxes)
      .values({
        address: input.address.toLowerCase(),
        name: input.name,
        teamId: input.teamId ?? null,
        inboundMethod: input.inboundMethod,
        imap: imapOf(input.imap, null),
        smtpUrl: input.smtpUrl ?? null,
        responseHours: input.responseHours,
        closedReplyAction: input.closedReplyAction,
        autoReplies: input.autoReplies,
        active: input.active,
      })
      .onConflictDoNothing()
      .returning();
    if (!row) throw conflict('mailbox_exists', 'address: a mailbox with this address exists', { field: 'address' });
    return row;
  });
}

export async function updateMailbox(ctx: AppContext, id: string, patch: MailboxPatch) {
  return ctx.db.transaction(async (tx) => {
    const [current] = await tx.select().from(mailboxes).where(eq(mailboxes.id, id)).for('update');
    if (!current) throw notFound('Mailbox');
    await assertTeam(tx, patch.teamId);
    const method = patch.inboundMethod ?? current.inboundMethod;
    const imap = patch.imap === undefined ? current.imap : imapOf(patch.imap, current.imap);
    if (method === 'imap' && !imap) throw badRequest('invalid_imap', 'imap: required for IMAP mailboxes', { field: 'imap' });
    const [row] = await tx
      .update(mailboxes)
      .set({
        name: patch.name ?? current.name,
        teamId: patch.teamId === undefined ? current.teamId : patch.teamId,
        inboundMethod: method,
        imap,
        smtpUrl: patch.smtpUrl === undefined ? current.smtpUrl : patch.smtpUrl,
        responseHours: patch.responseHours ?? current.responseHours,
        closedReplyAction: patch.closedReplyAction ?? current.closedReplyAction,
        autoReplies: patch.autoReplies ?? current.autoReplies,
        active: patch.active ?? current.active,
      })
      .where(eq(mailboxes.id, id))
      .returning();
    return row;
  });
}

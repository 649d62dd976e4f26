import { and, desc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { tickets } from '../tickets/tickets.table.js';
import { emailMessages, ticketParticipants } from './email.table.js';
import type { ParsedEmail } from './parse-mime.js';

type TicketRow = typeof tickets.$inferSelect;

/** `[#1042]` in a subject: the desk's ticket token. */
export function ticketToken(subject: string): number | null {
  const m = /\[#(\d{1,12})\]/.exec(subject);
  return m ? Number(m[1]) : null;
}

// Reply and forward prefixes mail clients add, in the languages we serve and the common clients'
// others (Outlook: AW/WG, SV/VS, TR; Thunderbird: Re[2]; Arabic and Persian with a leading RLM;
// a full-width colon from CJK input methods).
const replyPrefix =
  /^[\s\u200e\u200f]*(re|fwd?|aw|wg|sv|vs|tr|رد|إعادة توجيه|ج|پاسخ|هدایت|ответ|отв|пересл|переслано)\s*([[(]\d+[\])])?\s*[:：]\s*/i;

/** "Re: Re: Fwd: printer [#1042]" → "printer": for ticket subjects from mail, outgoing subjects and follow-ups. */
export function baseSubject(subject: string): string {
  let s = subject.replace(/\[#\d{1,12}\]/g, ' ');
  for (;;) {
    const next = s.replace(replyPrefix, '');
    if (next === s) break;
    s = next;
  }
  return s.replace(/\s+/g, ' ').trim();
}

/** Whether this sender may write into the ticket: its requester or someone copied on its mail. */
async function mayWriteTo(tx: DbOrTx, t: TicketRow, customerId: string, fromAddress: string): Promise<boolean> {
  if (t.requesterId === customerId) return true;
  const [participant] = await tx
    .select({ email: ticketParticipants.email })
    .from(ticketParticipants)
    .where(and(eq(ticketParticipants.ticketId, t.id), eq(ticketParticipants.email, fromAddress)));
  return !!participant;
}

/**
 * The ticket a message belongs to: In-Reply-To, then References, matched against every message we
 * sent or received; then the subject token. Either way only from the requester or a participant, so
 * a stranger cannot write into someone else's ticket by quoting its Message-ID or guessing its
 * number: their mail opens a ticket of its own. Merged tickets lead on.
 * `lookup` answers the Message-ID lookups (tickets, newest mail first) from memory (the batch read them all at once, see InboundLookups).
 */
export async function findThread(
  tx: DbOrTx,
  parsed: ParsedEmail,
  customerId: string,
  fromAddress: string,
  lookup: (header: string) => string[],
): Promise<TicketRow | null> {
  // The nearest ancestor wins: In-Reply-To first, then References from the newest back. An id that
  // a mailer reused for several mails offers their tickets newest mail first.
  const ids = [...parsed.inReplyTo, ...[...parsed.references].reverse()];
  // A nearer one the sender may not write to (someone else's mail quoted in theirs) is passed over,
  // so an older id of their own still finds their ticket.
  const candidates = [...new Set(ids.flatMap(lookup))].slice(0, 5);
  let found: TicketRow | undefined;
  for (const id of candidates) {
    const [t] = await tx.select().from(tickets).where(eq(tickets.id, id));
    if (t && (await mayWriteTo(tx, t, customerId, fromAddress))) {
      found = t;
      break;
    }
  }
  const number = found ? null : ticketToken(parsed.subject);
  if (number !== null) {
    [found] = await tx.select().from(tickets).where(eq(tickets.number, number));
    if (found && !(await mayWriteTo(tx, found, customerId, fromAddress))) found = undefined;
  }
  if (!found) return null;
  let ticketId = found.id;
  for (let hops = 0; hops < 10; hops++) {
    const [t] = await tx.select().from(tickets).where(eq(tickets.id, ticketId)).for('update');
    if (!t) return null;
    if (!t.mergedIntoId) return t;
    ticketId = t.mergedIntoId;
  }
  return null;
}

/** Root and newest few: enough for every client to thread, short enough for every server. */
function trimReferences(ids: string[]): string[] {
  return ids.length > 12 ? [ids[0], ...ids.slice(-11)] : ids;
}

/** References for an answer to one message (RFC 5322 3.6.4): its References, then its own Message-ID. */
export function referencesOfReplyTo(parent: { messageId: string; references: string[] }): string[] {
  return trimReferences([...new Set([...parent.references.filter((id) => id !== parent.messageId), parent.messageId])]);
}

/**
 * The ticket's email chain, oldest first: the References of the next message out. It starts with
 * what the customer's latest mail referred to, so a conversation begun outside the desk (the
 * customer copied us in) stays one thread in their mail client.
 */
export async function threadIds(tx: DbOrTx, ticketId: string): Promise<{ references: string[]; lastInbound: string | null }> {
  const rows = await tx
    .select({ header: emailMessages.headerMessageId, direction: emailMessages.direction, references: emailMessages.references })
    .from(emailMessages)
    .where(eq(emailMessages.ticketId, ticketId))
    .orderBy(desc(emailMessages.createdAt))
    .limit(50);
  const oldestFirst = rows.reverse();
  const last = [...oldestFirst].reverse().find((r) => r.direction === 'in');
  const references = trimReferences([...new Set([...(last?.references ?? []), ...oldestFirst.map((r) => r.header)])]);
  const lastInbound = last?.header ?? null;
  return { references, lastInbound };
}

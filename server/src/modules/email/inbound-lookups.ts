import { and, eq, gt, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { customersByEmail, normalizeEmail } from '../customers/customers.service.js';
import type { customers } from '../customers/customers.table.js';
import { emailMessages, outboundEmails } from './email.table.js';
import type { ParsedEmail } from './parse-mime.js';

type Received = { ticketId: string; messageId: string };
type Customer = typeof customers.$inferSelect;

/**
 * What a batch of inbound messages would otherwise ask once per message: which Message-IDs the desk
 * already knows (duplicates, threading) and how many acknowledgements went to each sender (or the
 * Reply-To they named) this hour.
 * Read once inside the batch's transaction, then kept current as the batch writes, so a reply
 * finds a parent stored earlier in the same batch.
 */
export class InboundLookups {
  private constructor(
    private readonly received: Map<string, Received>,
    private readonly sent: Map<string, string>,
    private readonly acks: Map<string, number>,
    private readonly customers: Map<string, Customer>,
  ) {}

  static async load(tx: DbOrTx, batch: { parsed: ParsedEmail; sender: string }[], ackSince: Date): Promise<InboundLookups> {
    const headers = new Set<string>();
    const refs = new Set<string>();
    for (const { parsed } of batch) {
      if (parsed.messageId) headers.add(parsed.messageId);
      for (const id of [...parsed.inReplyTo, ...parsed.references]) refs.add(id);
    }
    const all = [...new Set([...headers, ...refs])];
    // Acknowledgements are counted per address they went to: the sender, or the Reply-To they named.
    const senders = [...new Set(batch.flatMap((b) => [b.sender, ...(b.parsed.replyTo ? [b.parsed.replyTo.address.toLowerCase()] : [])]))];
    // One after another: a transaction has one connection.
    const received = all.length
        ? await tx
            .select({ header: emailMessages.headerMessageId, ticketId: emailMessages.ticketId, messageId: emailMessages.messageId })
            .from(emailMessages)
            .where(inArray(emailMessages.headerMessageId, all))
        : [];
    // Our own Message-IDs too: a message carrying one is a copy of mail we sent.
    const sent = all.length
      ? await tx.select({ header: outboundEmails.headerMessageId, ticketId: outboundEmails.ticketId }).from(outboundEmails).where(inArray(outboundEmails.headerMessageId, all))
      : [];
    const acks = senders.length
        ? await tx
            .select({ to: outboundEmails.toAddress, n: sql<number>`count(*)::int` })
            .from(outboundEmails)
            .where(and(inArray(outboundEmails.toAddress, senders), eq(outboundEmails.kind, 'acknowledgement'), gt(outboundEmails.createdAt, ackSince)))
            .groupBy(outboundEmails.toAddress)
        : [];
    const customers = await customersByEmail(tx, batch.map((b) => b.sender));
    return new InboundLookups(
      new Map(received.map((r) => [r.header, { ticketId: r.ticketId, messageId: r.messageId }])),
      new Map(sent.map((r) => [r.header, r.ticketId])),
      new Map(acks.map((r) => [r.to, r.n])),
      customers,
    );
  }

  /** A message the desk already received under this Message-ID. */
  receivedAs(header: string): Received | undefined {
    return this.received.get(header);
  }

  /** The ticket of a message received or sent under this Message-ID. */
  ticketOf(header: string): string | undefined {
    return this.received.get(header)?.ticketId ?? this.sent.get(header);
  }

  /** Whether the desk itself sent mail under this Message-ID. */
  sentHere(header: string): boolean {
    return this.sent.has(header);
  }

  acknowledgementsTo(address: string): number {
    return this.acks.get(address) ?? 0;
  }

  /** The customer holding this address, as the batch found or made them. */
  customerOf(address: string): Customer | undefined {
    return this.customers.get(normalizeEmail(address));
  }

  noteCustomer(address: string, customer: Customer) {
    this.customers.set(normalizeEmail(address), customer);
  }

  noteReceived(header: string, r: Received) {
    this.received.set(header, r);
  }

  noteAcknowledgement(address: string) {
    this.acks.set(address, this.acknowledgementsTo(address) + 1);
  }
}

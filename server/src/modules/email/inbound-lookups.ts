import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { customersByEmail, normalizeEmail } from '../customers/customers.service.js';
import type { customers } from '../customers/customers.table.js';
import { copyKeys, wordsHash, type CopyKeys } from './copy-key.js';
import type { ParsedEmail } from './parse-mime.js';

/**
 * A message stored under a Message-ID. `copy`: what a later mail under the id must match to be a
 * copy of it; null for mail the desk sent (any mail under our own id is a copy of it). `wordsOnly`:
 * stored before content_hash existed, so compared without its files.
 */
export type Received = { ticketId: string; messageId: string; at: number; copy: { key: string; wordsOnly: boolean } | null };

/** Message-IDs are matched whatever their letter case: some mail systems change it when they quote one. */
const key = (header: string) => header.toLowerCase();
type Customer = typeof customers.$inferSelect;

/**
 * What a batch of inbound messages would otherwise ask once per message: which Message-IDs the desk
 * already knows (duplicates, threading), how many acknowledgements went to each sender (or the
 * Reply-To they named) this hour, the senders' customers, and the oldest mail still waiting elsewhere.
 * Read once inside the batch's transaction, then kept current as the batch writes, so a reply
 * finds a parent stored earlier in the same batch.
 */
export class InboundLookups {
  private constructor(
    /** Per Message-ID, newest first: a mailer that reuses ids leaves several. */
    private readonly received: Map<string, Received[]>,
    private readonly sent: Map<string, string>,
    private readonly acks: Map<string, number>,
    private readonly customers: Map<string, Customer>,
    private readonly oldest: Date | null,
  ) {}

  /**
   * `batchIds`: the batch's own inbound rows, left out of `oldestWaiting`. Two statements for the
   * whole batch.
   */
  static async load(tx: DbOrTx, batch: { parsed: ParsedEmail; sender: string }[], ackSince: Date, batchIds: string[]): Promise<InboundLookups> {
    const headers = new Set<string>();
    const own = new Set<string>();
    for (const { parsed } of batch) {
      for (const id of [parsed.messageId, parsed.standInId]) if (id) own.add(id);
      for (const id of [...parsed.inReplyTo, ...parsed.references]) headers.add(id);
    }
    for (const id of own) headers.add(id);
    // Acknowledgements are counted per address they went to: the sender, or the Reply-To they named.
    const senders = [...new Set(batch.flatMap((b) => [b.sender, ...(b.parsed.replyTo ? [b.parsed.replyTo.address.toLowerCase()] : [])]))];
    // Lists go as JSON, so the statement has one text (prepared once) whatever the batch holds.
    const result = await tx.execute(sql`
      with h as (select jsonb_array_elements_text(${JSON.stringify([...headers])}::jsonb) as id),
           o as (select jsonb_array_elements_text(${JSON.stringify([...own])}::jsonb) as id),
           s as (select jsonb_array_elements_text(${JSON.stringify(senders)}::jsonb) as address)
      select
        -- Mail received before content_hash existed brings its words, only when a message of the
        -- batch comes under its id (what a copy is told by); otherwise a hash is enough.
        (select coalesce(jsonb_agg(jsonb_build_array(m.header_message_id, m.ticket_id, m.message_id, m.direction, m.content_hash, m.created_at,
                   case when m.direction = 'in' and m.content_hash is null and lower(m.header_message_id) in (select lower(id) from o)
                        then jsonb_build_array(m.from_address, m.subject, m.full_text) end)), '[]')
           from email_messages m where lower(m.header_message_id) in (select lower(id) from h)) as received,
        -- Our own Message-IDs too: a message carrying one is a copy of mail we sent.
        (select coalesce(jsonb_agg(jsonb_build_array(o.header_message_id, o.ticket_id)), '[]')
           from outbound_emails o where lower(o.header_message_id) in (select lower(id) from h)) as sent,
        (select coalesce(jsonb_agg(jsonb_build_array(a.to_address, a.n)), '[]') from (
           select o.to_address, count(*)::int as n from outbound_emails o
           where o.to_address in (select address from s) and o.kind = 'acknowledgement' and o.created_at > ${ackSince.toISOString()}::timestamptz
           group by o.to_address) a) as acks,
        (select min(i.received_at) from inbound_emails i
           where i.status = 'pending' and i.id not in (select jsonb_array_elements_text(${JSON.stringify(batchIds)}::jsonb)::uuid)) as oldest
    `);
    const row = result.rows[0] as { received: StoredRow[]; sent: [string, string][]; acks: [string, number][]; oldest: string | Date | null };
    const customers = await customersByEmail(tx, batch.map((b) => b.sender));
    return new InboundLookups(
      receivedByHeader(row.received),
      new Map(row.sent.map(([header, ticketId]) => [key(header), ticketId])),
      new Map(row.acks),
      customers,
      row.oldest === null ? null : new Date(row.oldest),
    );
  }

  /** When the oldest message outside this batch still waiting was received (null: none waits). */
  get oldestWaiting(): Date | null {
    return this.oldest;
  }

  /** The message stored under this Message-ID that a mail with these keys is a copy of. */
  copyOf(header: string, keys: CopyKeys): Received | undefined {
    return this.received.get(key(header))?.find((r) => !r.copy || r.copy.key === (r.copy.wordsOnly ? keys.words : keys.full));
  }

  /** Whether a message stored already holds this Message-ID. */
  holds(header: string): boolean {
    return !!this.received.get(key(header))?.length;
  }

  /** The tickets of messages received or sent under this Message-ID, newest mail first. */
  ticketsOf(header: string): string[] {
    const sent = this.sent.get(key(header));
    return [...new Set([...(this.received.get(key(header)) ?? []).map((r) => r.ticketId), ...(sent ? [sent] : [])])];
  }

  /** Whether the desk itself sent mail under this Message-ID. */
  sentHere(header: string): boolean {
    return this.sent.has(key(header));
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
    this.received.set(key(header), [r, ...(this.received.get(key(header)) ?? [])]);
  }

  noteAcknowledgement(address: string) {
    this.acks.set(address, this.acknowledgementsTo(address) + 1);
  }
}

type StoredRow = [header: string, ticketId: string, messageId: string, direction: 'in' | 'out', contentHash: string | null, createdAt: string, legacy: [string | null, string | null, string | null] | null];

function receivedByHeader(rows: StoredRow[]): Map<string, Received[]> {
  const out = new Map<string, Received[]>();
  for (const [header, ticketId, messageId, direction, contentHash, createdAt, legacy] of rows) {
    let copy: Received['copy'] = null;
    if (contentHash) copy = { key: contentHash, wordsOnly: false };
    else if (legacy) copy = { key: copyKeys(legacy[0] ?? '', wordsHash(legacy[1], legacy[2]), null).words, wordsOnly: true };
    // Received before content_hash, not under an id of this batch: only threading asks for it.
    else if (direction === 'in') copy = { key: '', wordsOnly: true };
    const list = out.get(key(header)) ?? [];
    list.push({ ticketId, messageId, at: Date.parse(createdAt), copy });
    out.set(key(header), list);
  }
  for (const list of out.values()) list.sort((a, b) => b.at - a.at);
  return out;
}

import type { Delivery } from '../email/delivery.queries.js';
import type { attachments, messages, ticketEvents, tickets } from './tickets.table.js';

// Rows as the queries read them: without the generated search vectors.
type TicketRow = Omit<typeof tickets.$inferSelect, 'search'>;
type MessageRow = Omit<typeof messages.$inferSelect, 'search'>;
type AttachmentRow = typeof attachments.$inferSelect;
type EventRow = typeof ticketEvents.$inferSelect;

export type Named = { id: string; name: string } | null;
export type RequesterRef = { id: string; name: string; email: string | null };

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function presentTicket(t: TicketRow, refs: { requester: RequesterRef; assignee: Named; team: Named }) {
  return {
    id: t.id,
    number: t.number,
    reference: `#${t.number}`,
    subject: t.subject,
    channel: t.channel,
    status: t.status,
    priority: t.priority,
    category: t.category,
    tags: t.tags,
    requester: refs.requester,
    assignee: refs.assignee,
    team: refs.team,
    mergedIntoId: t.mergedIntoId,
    version: t.version,
    messageCount: t.messageCount,
    lastMessageAt: iso(t.lastMessageAt),
    firstResponseAt: iso(t.firstResponseAt),
    solvedAt: iso(t.solvedAt),
    closedAt: iso(t.closedAt),
    createdAt: t.createdAt.toISOString(),
    updatedAt: t.updatedAt.toISOString(),
  };
}

export function presentAttachment(a: AttachmentRow) {
  return { id: a.id, filename: a.filename, contentType: a.contentType, size: a.size, url: `/api/v1/attachments/${a.id}` };
}

/** `delivery`: staff only (left out for customers); null when the message did not go out by email. */
export function presentMessage(m: MessageRow, author: Named, files: AttachmentRow[], delivery?: Delivery | null) {
  return {
    id: m.id,
    ticketId: m.ticketId,
    internal: m.internal,
    kind: m.internal ? 'note' : 'reply',
    authorKind: m.authorKind,
    author,
    channel: m.channel,
    body: m.body,
    createdAt: m.createdAt.toISOString(),
    attachments: files.map(presentAttachment),
    ...(delivery === undefined ? {} : { delivery }),
  };
}

export function presentEvent(e: EventRow, actor: Named) {
  return { id: e.id, type: e.type, actor, data: e.data, createdAt: e.createdAt.toISOString() };
}

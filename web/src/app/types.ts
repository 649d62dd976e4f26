import type { TicketChannel, TicketPriority, TicketStatus } from '../../../common/enums';
import type { Role } from '../../../common/permissions';

export type Named = { id: string; name: string } | null;

export type Me = {
  id: string;
  name: string;
  email: string;
  role: Role;
  language: string;
  customerId: string | null;
  teamIds: string[];
  /** The password must be changed before anything else works (the first admin's printed one). */
  mustChangePassword: boolean;
  csrfToken?: string;
};

export type Ticket = {
  id: string;
  number: number;
  reference: string;
  subject: string;
  channel: TicketChannel;
  status: TicketStatus;
  priority: TicketPriority;
  category: string | null;
  tags: string[];
  requester: { id: string; name: string; email: string | null };
  assignee: Named;
  team: Named;
  version: number;
  messageCount: number;
  lastMessageAt: string | null;
  solvedAt: string | null;
  createdAt: string;
  updatedAt: string;
  /** The most urgent open SLA target (list items only). */
  sla?: SlaSummary | null;
};

export type SlaSummary = { metric: string; dueAt: string | null; warnAt: string | null; state: 'active' | 'at_risk' | 'paused' | 'breached' };
export type SlaTarget = {
  metric: string;
  dueAt: string | null;
  state: 'active' | 'warning' | 'paused' | 'met' | 'breached' | 'cancelled';
  targetSeconds: number;
  businessHours: boolean;
  remainingSeconds: number | null;
  internal: boolean;
  warnAt: string | null;
  metAt: string | null;
  breachedAt: string | null;
};

export type Attachment = { id: string; filename: string; contentType: string; size: number; url: string };

/** How an emailed reply is doing (staff only). */
export type Delivery = {
  state: 'queued' | 'sending' | 'sent' | 'retrying' | 'failed' | 'bounced';
  attempts: number;
  lastError: string | null;
  nextAttemptAt: string | null;
  outboundId: string;
};

export type Message = {
  id: string;
  internal: boolean;
  kind: 'note' | 'reply';
  authorKind: string;
  author: Named;
  channel: string;
  body: string;
  createdAt: string;
  attachments: Attachment[];
  /** Staff only; null when the message was not emailed. */
  delivery?: Delivery | null;
};

export type TicketSummary = {
  id: string;
  number: number;
  reference: string;
  subject: string;
  status: TicketStatus;
  channel: TicketChannel;
  solved: boolean;
  createdAt: string;
  updatedAt: string;
  solvedAt: string | null;
};

export type Customer = {
  id: string;
  name: string;
  emails: string[];
  phones: string[];
  kind: string;
  department: string | null;
  organization: { id: string; name: string | null } | null;
  language: string;
  timeZone: string | null;
  notes: string | null;
  tier: string | null;
  createdAt: string;
};

export type CustomerContext = {
  customer: Customer;
  ticketCount: number;
  openCount: number;
  lastProblem: TicketSummary | null;
  tickets: TicketSummary[];
  recentEvents: { id: number; ticketId: string; number: number | null; type: string; actor: string | null; createdAt: string }[];
};

export type TicketDetail = Ticket & { messages: Message[]; context?: CustomerContext; sla?: SlaTarget[] };

export type TimelineEvent = { id: number; type: string; actor: Named; data: Record<string, unknown>; createdAt: string };

export type Staff = {
  id: string;
  email: string;
  name: string;
  role: string;
  tier: number | null;
  skills: string[];
  availability: string;
  language: string;
  active: boolean;
  teamIds: string[];
};

export type Team = {
  id: string;
  name: string;
  description: string | null;
  tier: number | null;
  timeZone: string | null;
  members: { id: string; name: string; role: string; availability: string }[];
};

export type Organization = { id: string; name: string; domains: string[]; notes: string | null; tier: string | null; createdAt: string };

export type Counts = {
  mine: number;
  unassigned: number;
  open: number;
  all: number;
  solvedRecently: number;
  solvedSince: string;
  atRisk: number;
  breached: number;
  teams: Record<string, number>;
};

/** A paged list: `nextCursor` fetches the next page, null on the last. */
export type Page<T> = { data: T[]; nextCursor: string | null };

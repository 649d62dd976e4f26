/** Values shared by the server and the web app. */
export const ticketChannels = ['email', 'chat', 'portal', 'phone', 'walk_in', 'api'] as const;
export const ticketStatuses = ['new', 'open', 'pending', 'on_hold', 'solved', 'closed'] as const;
export const ticketPriorities = ['low', 'normal', 'high', 'urgent'] as const;
export const staffRoleNames = ['admin', 'manager', 'supervisor', 'dispatcher', 'analyst', 'agent'] as const;
export const availabilities = ['online', 'away', 'offline'] as const;
export const languages = ['en', 'ar', 'fa', 'ru'] as const;

export type Language = (typeof languages)[number];
/** Languages written right to left: their pages and mail get dir="rtl". */
export const rtlLanguages: ReadonlySet<string> = new Set<Language>(['ar', 'fa']);
export const directionOf = (language: string): 'rtl' | 'ltr' => (rtlLanguages.has(language) ? 'rtl' : 'ltr');

export type TicketChannel = (typeof ticketChannels)[number];
export type TicketStatus = (typeof ticketStatuses)[number];
export type TicketPriority = (typeof ticketPriorities)[number];

export const limits = {
  subject: 300,
  body: 100_000,
  attachmentBytes: 25 * 1024 * 1024,
  attachmentsPerMessage: 20,
  tags: 30,
  tag: 50,
  /** The most rows one page of any list may ask for. */
  pageSize: 200,
} as const;

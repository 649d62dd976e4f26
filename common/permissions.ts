import { staffRoleNames } from './enums.js';

export type StaffRole = (typeof staffRoleNames)[number];
export type Role = StaffRole | 'customer';

/** What a route may need. `public` routes need no sign-in; `signed_in` any account. */
export const capabilities = {
  public: [],
  signed_in: [],
  'tickets.read': ['admin', 'manager', 'supervisor', 'dispatcher', 'analyst', 'agent', 'customer'],
  'tickets.create': ['admin', 'manager', 'supervisor', 'dispatcher', 'agent', 'customer'],
  'tickets.update': ['admin', 'manager', 'supervisor', 'dispatcher', 'analyst', 'agent'],
  'tickets.reply': ['admin', 'manager', 'supervisor', 'dispatcher', 'agent', 'customer'],
  'tickets.note': ['admin', 'manager', 'supervisor', 'dispatcher', 'agent'],
  'tickets.timeline': ['admin', 'manager', 'supervisor', 'dispatcher', 'analyst', 'agent'],
  'tickets.merge': ['admin', 'manager', 'supervisor', 'dispatcher', 'agent'],
  'customers.read': ['admin', 'manager', 'supervisor', 'dispatcher', 'analyst', 'agent'],
  'customers.write': ['admin', 'manager', 'supervisor', 'dispatcher', 'agent'],
  /** A portal sign-in opens all of a customer's tickets, so it is not for agents, whose view is by team. */
  'portal.manage': ['admin', 'manager', 'supervisor', 'dispatcher'],
  /** A merge moves every ticket and portal sign-in of a customer, seen or not: not for agents either. */
  'customers.merge': ['admin', 'manager', 'supervisor', 'dispatcher'],
  'staff.read': ['admin', 'manager', 'supervisor', 'dispatcher', 'analyst', 'agent'],
  'staff.manage': ['admin', 'manager'],
  'teams.manage': ['admin', 'manager'],
  'jobs.manage': ['admin', 'manager'],
  'webhooks.manage': ['admin', 'manager'],
  'settings.manage': ['admin', 'manager'],
  'tickets.escalate': ['admin', 'manager', 'supervisor', 'dispatcher', 'agent', 'customer'],
  'reports.read': ['admin', 'manager', 'supervisor', 'analyst'],
  'notifications.read': ['admin', 'manager', 'supervisor', 'dispatcher', 'analyst', 'agent'],
  'email.manage': ['admin', 'manager'],
  'email.ingest': ['admin', 'manager'],
} as const satisfies Record<string, readonly Role[]>;

export type Capability = keyof typeof capabilities;

export function roleHas(role: Role, capability: Capability): boolean {
  if (capability === 'public' || capability === 'signed_in') return true;
  return (capabilities[capability] as readonly Role[]).includes(role);
}

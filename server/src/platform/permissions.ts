import type { Role } from '../../../common/permissions.js';

// The role × capability table is shared with the agent app, which shows only what a role may use.
export { capabilities, roleHas, type Capability, type Role, type StaffRole } from '../../../common/permissions.js';

/** Fields of a ticket each kind of staff may change; analysts only classify. */
export const classificationFields = ['category', 'tags'] as const;

export function canChangeField(role: Role, field: string): boolean {
  if (role === 'customer') return false;
  if (role === 'analyst') return (classificationFields as readonly string[]).includes(field);
  return true;
}

/** Roles that see every ticket; agents see their teams' and their own; customers their own. */
export function seesAllTickets(role: Role): boolean {
  return role === 'admin' || role === 'manager' || role === 'supervisor' || role === 'dispatcher' || role === 'analyst';
}

export type Actor = {
  userId: string;
  role: Role;
  name: string;
  email: string;
  language: string;
  customerId: string | null;
  teamIds: string[];
  via: 'session' | 'token';
  /** Signed in with a password that must be changed before anything else (the printed first admin's). */
  mustChangePassword?: boolean;
};

export const isStaff = (actor: Actor) => actor.role !== 'customer';

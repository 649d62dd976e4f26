import { z } from 'zod';
import { userRole } from '../../modules/users/users.table.js';

// What the sign-in and API token routes answer, for the API documentation only (see
// modules/tickets/tickets.responses.ts): a test holds real answers to them.

const instant = z.iso.datetime();

/** Who is signed in: a staff member, or a customer's portal account. */
const signedIn = {
  id: z.uuid(),
  name: z.string(),
  email: z.string(),
  role: z.enum(userRole.enumValues),
  language: z.string(),
  customerId: z.uuid().nullable().describe('The customer a portal account belongs to; null for staff'),
  teamIds: z.array(z.uuid()).describe('Teams the staff member is in; empty for customers'),
  mustChangePassword: z.boolean().describe('The password was a printed one-time one: the web app asks for a new one (POST /auth/password) before the workspace opens'),
};

export const me = z.strictObject({
  ...signedIn,
  csrfToken: z.string().optional().describe('Only for a cookie session: send it as X-CSRF-Token on every write'),
});

export const loginAnswer = z.strictObject({
  token: z.string().describe('The session token: usable as `Authorization: Bearer`; also set as the session cookie'),
  csrfToken: z.string().describe('Send it as X-CSRF-Token on every write made with the session cookie'),
  expiresAt: instant,
  user: z.strictObject(signedIn),
});

const apiToken = {
  id: z.uuid(),
  name: z.string(),
  createdAt: instant,
};

export const apiTokenList = z.strictObject({
  data: z.array(z.strictObject({ ...apiToken, lastUsedAt: instant.nullable() })),
});

export const createdApiToken = z.strictObject({
  ...apiToken,
  token: z.string().describe('The token itself, shown only in this answer; only a hash of it is kept'),
});

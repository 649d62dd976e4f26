export * from '../modules/customers/customers.table.js';
export * from '../modules/users/users.table.js';
export * from '../modules/teams/teams.table.js';
export * from '../modules/tickets/tickets.table.js';
export * from '../modules/webhooks/webhooks.table.js';
export * from '../platform/auth/auth.table.js';
export * from '../platform/jobs/jobs.table.js';

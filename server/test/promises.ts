import crypto from 'node:crypto';
import type { Account, TestDesk } from './harness.js';

/** Runs every due job until none is left (timers, dispatch, notices). */
export async function drainJobs(desk: TestDesk): Promise<number> {
  let total = 0;
  for (let n = await desk.runner.runDue(); n > 0; n = await desk.runner.runDue()) total += n;
  return total;
}

export async function newTicket(desk: TestDesk, staff: Account, fields: Record<string, unknown> = {}) {
  const res = await desk.request(staff, 'POST', '/api/v1/tickets', {
    subject: 'Printer on floor 3 is jammed',
    channel: 'email',
    requester: { email: `c-${crypto.randomBytes(4).toString('hex')}@example.com` },
    body: 'It shows error 52 since this morning.',
    ...fields,
  });
  if (res.status !== 201) throw new Error(`ticket: ${JSON.stringify(res.body)}`);
  return res.body;
}

export const targetOf = (ticket: { sla: { metric: string }[] }, metric: string) => ticket.sla.find((t) => t.metric === metric) as any;

export async function eventsOf(desk: TestDesk, staff: Account, ticketId: string, type: string) {
  const res = await desk.request(staff, 'GET', `/api/v1/tickets/${ticketId}/timeline`);
  return (res.body.data as { type: string; data: any }[]).filter((e) => e.type === type);
}

/** A customer with a portal sign-in, made through the API. */
export async function portalAccount(desk: TestDesk, staff: Account) {
  const email = `portal-${crypto.randomBytes(4).toString('hex')}@example.com`;
  const password = 'portal password 42';
  const customer = await desk.request(staff, 'POST', '/api/v1/customers', { name: 'Portal customer', emails: [email] });
  const account = await desk.request(staff, 'POST', '/api/v1/portal-accounts', { customerId: customer.body.id, email, password });
  if (account.status !== 201) throw new Error(`portal account: ${JSON.stringify(account.body)}`);
  const login = await desk.request(null, 'POST', '/api/v1/auth/login', { email, password });
  return { id: account.body.id, customerId: customer.body.id as string, email, password, token: login.body.token, role: 'customer', headers: { authorization: `Bearer ${login.body.token}` } } as Account & {
    customerId: string;
  };
}

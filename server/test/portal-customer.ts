import crypto from 'node:crypto';
import type { Account, TestDesk } from './harness.js';

export type CustomerAccount = Account & { customerId: string };

/** A customer with a portal sign-in, made through the API the way staff do it, then signed in. */
export async function portalCustomer(desk: TestDesk, staff: Account, name: string): Promise<CustomerAccount> {
  const email = `portal-${crypto.randomBytes(4).toString('hex')}@example.com`;
  const password = 'portal password 42';
  const customer = await desk.request(staff, 'POST', '/api/v1/customers', { name, emails: [email] });
  if (customer.status !== 201) throw new Error(`customer: ${JSON.stringify(customer.body)}`);
  const account = await desk.request(staff, 'POST', '/api/v1/portal-accounts', { customerId: customer.body.id, email, password });
  if (account.status !== 201) throw new Error(`portal account: ${JSON.stringify(account.body)}`);
  const login = await desk.request(null, 'POST', '/api/v1/auth/login', { email, password });
  if (login.status !== 200) throw new Error(`login: ${JSON.stringify(login.body)}`);
  return {
    id: account.body.id,
    customerId: customer.body.id,
    email,
    password,
    token: login.body.token,
    role: 'customer',
    headers: { authorization: `Bearer ${login.body.token}` },
  };
}

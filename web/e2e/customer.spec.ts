import { expect, test } from '@playwright/test';
import { DEMO_PASSWORD, csrfOf, demoEmail, signIn } from './helpers';

test('a customer with a portal account cannot use the agent app', async ({ browser, page }) => {
  // A manager gives a customer a portal sign-in (demo customers may already have one, with the demo password).
  const login = await page.request.post('/api/v1/auth/login', { data: { email: demoEmail('maria.manager'), password: DEMO_PASSWORD } });
  expect(login.ok()).toBe(true);
  const customers = (await (await page.request.get('/api/v1/customers?limit=20')).json()).data as { id: string; emails: string[] }[];
  const customer = customers.find((c) => c.emails.length)!;
  const password = 'portal-password-123';
  const made = await page.request.post('/api/v1/portal-accounts', {
    headers: { 'x-csrf-token': await csrfOf(page) },
    data: { customerId: customer.id, email: customer.emails[0], password },
  });
  expect([201, 409]).toContain(made.status());

  const context = await browser.newContext();
  try {
    const p = await context.newPage();
    await signIn(p, customer.emails[0], made.status() === 201 ? password : DEMO_PASSWORD);
    await expect(p.getByTestId('staff-only')).toBeVisible();
    await expect(p.getByTestId('navigation')).toHaveCount(0);
    await expect(p.getByTestId('ticket-list')).toHaveCount(0);
    // Deep links into the workspace show the same refusal.
    await p.goto('/queues/all');
    await expect(p.getByTestId('staff-only')).toBeVisible();
    await expect(p.getByTestId('ticket-list')).toHaveCount(0);
  } finally {
    await context.close();
  }
});

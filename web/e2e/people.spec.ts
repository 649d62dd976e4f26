import { expect, test } from '@playwright/test';
import { catalogs, csrfOf, signInStaff } from './helpers';

test('a manager merges a duplicate customer from its profile, gives it a service tier, and sees staff and teams', async ({ page }) => {
  const t = catalogs.en;
  await signInStaff(page, 'maria.manager', 'en');
  const headers = { 'x-csrf-token': await csrfOf(page) };
  const stamp = Date.now();
  const kept = await (await page.request.post('/api/v1/customers', { headers, data: { name: `Keeper ${stamp}`, emails: [`keeper.${stamp}@example.com`] } })).json();
  const dup = await (await page.request.post('/api/v1/customers', { headers, data: { name: `Duplicate ${stamp}`, emails: [`dup.${stamp}@example.com`] } })).json();
  const subject = `Printer offline again ${stamp}`;
  expect((await page.request.post('/api/v1/tickets', { headers, data: { subject, channel: 'phone', body: 'The printer is offline.', requesterId: dup.id } })).status()).toBe(201);

  await page.goto(`/customers/${dup.id}`);
  await expect(page.getByRole('table', { name: t.customer.tickets })).toContainText(subject);
  await page.getByTestId('merge-customer').click();
  await page.getByTestId('merge-target').fill(`Keeper ${stamp}`);
  await page.getByRole('option', { name: new RegExp(`Keeper ${stamp}`) }).click();
  await page.getByTestId('merge-submit').click();
  await expect(page).toHaveURL(new RegExp(`/customers/${kept.id}$`));
  await expect(page.getByRole('table', { name: t.customer.tickets })).toContainText(subject);
  expect((await page.request.get(`/api/v1/customers/${dup.id}`)).status()).toBe(404);

  // The kept customer becomes VIP: saved, and still there after a reload.
  await page.getByTestId('tier-input').fill('VIP');
  await page.getByTestId('tier-save').click();
  await expect(page.getByTestId('tier-save')).toBeDisabled();
  await page.reload();
  await expect(page.getByTestId('tier-input')).toHaveValue('vip');
  expect((await (await page.request.get(`/api/v1/customers/${kept.id}`)).json()).tier).toBe('vip');

  await page.getByTestId('navigation').getByRole('link', { name: t.nav.staff }).click();
  await expect(page.getByTestId('staff-list')).toContainText('Emily Brooks');
  await expect(page.getByTestId('staff-list')).toContainText(t.roles.supervisor);
  await page.getByTestId('navigation').getByRole('link', { name: t.nav.teams }).click();
  await expect(page.getByRole('table')).toContainText('Level 1');
});

test('a supervisor sees a customer’s service tier but may not change it (in Persian)', async ({ page }) => {
  const t = catalogs.fa;
  await signInStaff(page, 'omar.supervisor', 'fa');
  const headers = { 'x-csrf-token': await csrfOf(page) };
  const stamp = Date.now();
  const customer = await (await page.request.post('/api/v1/customers', { headers, data: { name: `Sara ${stamp}`, emails: [`sara.${stamp}@example.ir`] } })).json();
  await page.goto(`/customers/${customer.id}`);
  await expect(page.getByTestId('tier-input')).toHaveAttribute('readonly', '');
  await expect(page.getByText(t.tier.readOnly)).toBeVisible();
  await expect(page.getByTestId('tier-save')).toHaveCount(0);
  // The API says the same to anyone who tries without the page.
  const refused = await page.request.patch(`/api/v1/customers/${customer.id}`, { headers, data: { tier: 'vip' } });
  expect(refused.status()).toBe(403);
});

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

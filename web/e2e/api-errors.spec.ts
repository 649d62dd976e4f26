import { expect, test } from '@playwright/test';
import { catalogs, csrfOf, signInStaff } from './helpers';

// The API explains errors in English; the app must say them in the reader's language instead.

test('a manager creating a team whose name is taken reads why in Russian, not the API’s English', async ({ page }) => {
  const t = catalogs.ru;
  await signInStaff(page, 'maria.manager', 'ru');
  const stamp = Date.now();
  const name = `Вторая линия ${stamp}`;
  const made = await page.request.post('/api/v1/teams', { headers: { 'x-csrf-token': await csrfOf(page) }, data: { name } });
  expect(made.status()).toBe(201);

  await page.goto('/admin/teams');
  await page.getByRole('button', { name: t.teams.new }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel(t.teams.name).fill(name);
  const answer = page.waitForResponse((r) => r.url().endsWith('/api/v1/teams') && r.request().method() === 'POST');
  await dialog.getByRole('button', { name: t.common.save }).click();
  const { error } = await (await answer).json();
  expect(error.code).toBe('team_exists');
  expect(error.message).toContain('already exists');

  await expect(dialog.getByRole('alert')).toHaveText(t.apiErrors.team_exists);
  await expect(dialog).not.toContainText(error.message);
});

test('a taken organization name is explained in Arabic', async ({ page }) => {
  const t = catalogs.ar;
  await signInStaff(page, 'maria.manager', 'ar');
  const name = `Acme ${Date.now()}`;
  const made = await page.request.post('/api/v1/organizations', { headers: { 'x-csrf-token': await csrfOf(page) }, data: { name } });
  expect(made.status()).toBe(201);

  await page.goto('/organizations');
  await page.getByRole('button', { name: t.organizations.new }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel(t.organizations.name).fill(name);
  await dialog.getByRole('button', { name: t.common.create }).click();
  await expect(dialog.getByRole('alert')).toHaveText(t.apiErrors.organization_exists);
  await expect(dialog).not.toContainText('already exists');
});

test('an error code the app has no words for shows only the code, in Persian', async ({ page }) => {
  const t = catalogs.fa;
  await signInStaff(page, 'maria.manager', 'fa');
  // A newer server may answer with a code this build does not know yet.
  await page.route('**/api/v1/teams', (route) =>
    route.request().method() === 'POST'
      ? route.fulfill({ status: 409, contentType: 'application/json', body: JSON.stringify({ error: { code: 'brand_new_rule', message: 'Some English explanation' } }) })
      : route.fallback(),
  );
  await page.goto('/admin/teams');
  await page.getByRole('button', { name: t.teams.new }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel(t.teams.name).fill(`تیم ${Date.now()}`);
  await dialog.getByRole('button', { name: t.common.save }).click();
  await expect(dialog.getByRole('alert')).toHaveText(t.common.serverRefused.replace('{{code}}', 'brand_new_rule'));
  await expect(dialog).not.toContainText('English');
});

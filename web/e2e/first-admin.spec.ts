import { expect, test } from '@playwright/test';
import { catalogs, signIn } from './helpers';

const en = catalogs.en.changePassword;

test('the first admin must replace the printed password before the workspace opens', async ({ page }) => {
  const printed = process.env.FRONTLINE_E2E_ADMIN_PASSWORD;
  expect(printed, 'scripts/test-web.mjs passes the printed password').toBeTruthy();
  await signIn(page, 'admin@frontline.local', printed);
  await expect(page.getByRole('heading', { name: en.title })).toBeVisible();
  await expect(page.getByTestId('navigation')).toHaveCount(0);

  const form = page.getByTestId('change-password');
  const fill = async (current: string, next: string, repeat = next) => {
    await form.getByRole('textbox', { name: en.current, exact: true }).fill(current);
    await form.getByRole('textbox', { name: en.new, exact: true }).fill(next);
    await form.getByRole('textbox', { name: en.repeat, exact: true }).fill(repeat);
    await form.getByRole('button', { name: en.submit }).click();
  };
  await fill('not the password', 'my own admin password');
  await expect(page.getByRole('alert')).toHaveText(en.errors.wrong_password);
  await fill(printed!, 'my own admin password', 'something else entirely');
  await expect(page.getByRole('alert')).toHaveText(en.errors.mismatch);

  await fill(printed!, 'my own admin password');
  await expect(page.getByTestId('navigation')).toBeVisible();
});

import { expect, type Page } from '@playwright/test';
import ar from '../src/i18n/ar.json' with { type: 'json' };
import en from '../src/i18n/en.json' with { type: 'json' };
import fa from '../src/i18n/fa.json' with { type: 'json' };
import ru from '../src/i18n/ru.json' with { type: 'json' };

export const catalogs = { en, ar, fa, ru };
export type Lng = keyof typeof catalogs;
export const DEMO_PASSWORD = 'frontline-demo';
export const demoEmail = (login: string) => `${login}@demo.frontline.local`;
const endonyms: Record<Lng, string> = { en: 'English', ar: 'العربية', fa: 'فارسی', ru: 'Русский' };

export async function signIn(page: Page, email: string, password = DEMO_PASSWORD) {
  await page.goto('/');
  await page.locator('input[type=email]').fill(email);
  await page.locator('input[type=password]').fill(password);
  await page.locator('button[type=submit]').click();
}

export async function signInStaff(page: Page, login: string, lng: Lng) {
  await signIn(page, demoEmail(login));
  await expect(page.getByTestId('navigation')).toBeVisible();
  await setLanguage(page, lng);
}

/** Picks the language in the header (saved to the account) and waits for the page to switch. */
export async function setLanguage(page: Page, lng: Lng) {
  if ((await page.locator('html').getAttribute('lang')) === lng) return;
  await page.getByTestId('language-select').click();
  await page.getByRole('option', { name: endonyms[lng], exact: true }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', lng);
}

/** Opens a Mantine select by its test id and picks the option with this label. */
export async function choose(page: Page, testId: string, option: string) {
  await page.getByTestId(testId).click();
  await page.getByRole('option', { name: option, exact: true }).click();
  // The list closes once the choice is taken; acting before that races the select's own updates.
  await expect(page.getByRole('listbox')).toHaveCount(0);
}

export async function openTeamQueue(page: Page, team: string) {
  await page.getByTestId('navigation').getByRole('link', { name: new RegExp(`^${team}`) }).click();
  await expect(page.getByTestId('queue-title')).toHaveText(team);
  await expect(page.getByTestId('ticket-row').first()).toBeVisible();
}

/** A token for writes through the API from the page's own cookie session. */
export async function csrfOf(page: Page): Promise<string> {
  const me = await (await page.request.get('/api/v1/auth/me')).json();
  return me.csrfToken;
}

import { mkdirSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { catalogs, signInStaff, type Lng } from './helpers';

const shots = 'test-results/screenshots';
mkdirSync(shots, { recursive: true });

for (const lng of ['en', 'ar', 'fa', 'ru'] as Lng[]) {
  test(`queue and ticket page in ${lng}`, async ({ page }) => {
    const t = catalogs[lng];
    const rtl = lng === 'ar' || lng === 'fa';
    await signInStaff(page, 'omar.supervisor', lng);
    await expect(page.locator('html')).toHaveAttribute('dir', rtl ? 'rtl' : 'ltr');

    await page.goto('/queues/all');
    await expect(page.getByTestId('queue-title')).toHaveText(t.queues.all);
    await expect(page.getByTestId('ticket-row').first()).toBeVisible();
    await expect(page.getByTestId('nav-all')).toContainText(t.queues.all);
    const nav = (await page.getByTestId('navigation').boundingBox())!;
    const main = (await page.getByTestId('ticket-list').boundingBox())!;
    // Navigation on the reading-start side: right in RTL, left otherwise.
    if (rtl) expect(nav.x).toBeGreaterThan(main.x);
    else expect(nav.x).toBeLessThan(main.x);
    await page.screenshot({ path: `${shots}/queue-${lng}.png` });

    await page.getByTestId('ticket-row').first().click();
    await expect(page.getByTestId('thread')).toBeVisible();
    await expect(page.getByTestId('customer-panel')).toContainText(t.customer.lastProblem);
    // The customer's ticket count takes the plural form the language asks for, in its own digits.
    const id = new URL(page.url()).pathname.split('/').pop();
    const { context } = await (await page.request.get(`/api/v1/tickets/${id}?include=context`)).json();
    const digits = new Intl.NumberFormat(lng);
    const counts = t.customer as Record<string, string>;
    const form = counts[`ticketCounts_${new Intl.PluralRules(lng).select(context.ticketCount)}`];
    await expect(page.getByTestId('customer-panel')).toContainText(
      form.replace('{{total}}', digits.format(context.ticketCount)).replace('{{open}}', digits.format(context.openCount)),
    );
    // Customer text keeps its own direction inside either interface.
    await expect(page.locator('.user-content').first()).toHaveAttribute('dir', 'auto');
    await page.screenshot({ path: `${shots}/ticket-${lng}.png`, fullPage: true });
  });
}

import { expect, test, type Page } from '@playwright/test';
import { catalogs, signInStaff, type Lng } from './helpers';

/** The digits this page writes a number with (Arabic-Indic in Arabic). */
const localNumber = (page: Page, lng: Lng, n: number) => page.evaluate(([l, v]) => new Intl.NumberFormat(l as string).format(v as number), [lng, n] as const);

for (const lng of ['en', 'ar'] as Lng[]) {
  test(`a supervisor sees SLA badges and the Breached view, a manager changes a policy target, in ${lng}`, async ({ page }) => {
    const t = catalogs[lng];
    await signInStaff(page, 'omar.supervisor', lng);
    const nav = page.getByTestId('navigation');

    // Every open queue row carries its most urgent promise as a badge.
    await nav.getByTestId('nav-all').click();
    await expect(page.getByTestId('ticket-row').first()).toBeVisible();
    await expect(page.getByTestId('sla-badge').first()).toBeVisible();

    // The Breached view: its count in the navigation, only breached rows, soonest overdue first.
    await expect(nav.getByTestId('nav-breached')).toContainText(t.sla.viewBreached);
    await expect(nav.getByTestId('nav-breached-count')).toBeVisible();
    await nav.getByTestId('nav-breached').click();
    await expect(page.getByTestId('queue-title')).toHaveText(t.sla.viewBreached);
    const rows = page.getByTestId('ticket-row');
    await expect(rows.first()).toBeVisible();
    const badges = page.getByTestId('ticket-list').getByTestId('sla-badge');
    const count = await badges.count();
    expect(count).toBeGreaterThan(0);
    for (let i = 0; i < Math.min(count, 10); i++) await expect(badges.nth(i)).toHaveAttribute('data-state', 'breached');
    const overdue = t.sla.overdue.replace('{{duration}}', '').trim();
    await expect(badges.first()).toContainText(overdue);
    await expect(page.getByTestId('queue-sort')).toHaveValue(t.sla.sortDueFirst);
    // The count in the navigation, in the reader's number format, is not zero.
    const shown = (await nav.getByTestId('nav-breached-count').textContent())!;
    expect(shown).not.toBe(await localNumber(page, lng, 0));

    // The ticket shows each of its targets with its state.
    await rows.first().click();
    const panel = page.getByTestId('sla-panel');
    await expect(panel).toBeVisible();
    await expect(panel.getByText(t.sla.panelTitle)).toBeVisible();
    await expect(panel.locator('[data-testid=sla-target][data-state=breached]').first()).toBeVisible();

    // A manager edits the chat policy's first response target.
    await page.getByTestId('account-menu').click();
    await page.getByRole('menuitem', { name: t.nav.signOut }).click();
    await signInStaff(page, 'maria.manager', lng);
    await nav.getByTestId('nav-admin-sla-policies').click();
    await expect(page.getByRole('heading', { name: t.adminSla.policiesTitle })).toBeVisible();
    const chat = page.locator('[data-testid=policy-row][data-policy-name=Chat]');
    await chat.click();
    const dialog = page.getByRole('dialog');
    const amount = dialog.locator('[data-testid=policy-target-row][data-metric=first_response]').getByTestId('policy-target-amount');
    await expect(amount).toHaveValue('1');
    // Nothing allowed is refused by the API, and the error shows next to the field.
    await amount.fill('0');
    await dialog.getByTestId('policy-save').click();
    await expect(amount).toHaveAttribute('aria-invalid', 'true');
    await expect(dialog.getByText(t.adminSla.errors.tooSmall)).toBeVisible();
    await expect(dialog).toBeVisible();
    await amount.fill('2');
    await dialog.getByTestId('policy-save').click();
    await expect(dialog).toBeHidden();
    await expect(chat.getByTestId('policy-targets')).toContainText(await localNumber(page, lng, 2));
    // Saved on the server, not only on screen.
    const saved = await (await page.request.get('/api/v1/sla/policies')).json();
    const policy = saved.data.find((p: { name: string }) => p.name === 'Chat');
    expect(policy.targets.find((x: { metric: string }) => x.metric === 'first_response').seconds).toBe(120);

    // Put it back for the other scenarios.
    await chat.click();
    await amount.fill('1');
    await dialog.getByTestId('policy-save').click();
    await expect(dialog).toBeHidden();
  });
}

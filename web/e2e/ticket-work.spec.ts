import { expect, test } from '@playwright/test';
import { catalogs, choose, openTeamQueue, signInStaff, type Lng } from './helpers';

const cases: { lng: Lng; login: string; me: string; team: string; colleague: string; reply: string; note: string; handover: string }[] = [
  {
    lng: 'en',
    login: 'emily.l1',
    me: 'Emily Brooks',
    team: 'Level 1',
    colleague: 'Anna Petrova',
    reply: 'Thanks for writing in. Please restart the app and tell us if the problem stays.',
    note: 'Checked the logs: the session expired twice this morning.',
    handover: 'Anna, you know this customer; please take it from here.',
  },
  {
    lng: 'ar',
    login: 'layla.l1',
    me: 'Layla Nasser',
    team: 'Billing',
    colleague: 'Yasmin Khalil',
    reply: 'شكرًا لتواصلك معنا. صحّحنا بيانات الفاتورة وسنرسل نسخة جديدة عبر البريد الإلكتروني.',
    note: 'راجعت سجل الفوترة: الرقم الضريبي كان ناقصًا في ملف العميل.',
    handover: 'ياسمين، أرجو متابعة إصدار الفاتورة المصححة.',
  },
];

for (const c of cases) {
  test(`an agent works a ticket end to end in ${c.lng}: reply, note, reassign, solve`, async ({ page }) => {
    const t = catalogs[c.lng];
    await signInStaff(page, c.login, c.lng);

    if (c.lng === 'ar') {
      await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
      const nav = await page.getByTestId('navigation').boundingBox();
      // The page's own width: a desktop scrollbar takes some of the window.
      const width = await page.evaluate(() => document.documentElement.clientWidth);
      expect(nav, 'navigation is laid out').not.toBeNull();
      // The navigation hugs the right edge in right-to-left.
      expect(nav!.x).toBeGreaterThan(width / 2);
      expect(Math.round(nav!.x + nav!.width)).toBeGreaterThanOrEqual(width - 2);
    } else {
      await expect(page.locator('html')).toHaveAttribute('dir', 'ltr');
    }

    // Keyboard: ? shows the shortcuts, j moves the selection, Enter opens the selected ticket.
    await openTeamQueue(page, c.team);
    await page.getByTestId('queue-title').click();
    await page.keyboard.press('Shift+?');
    await expect(page.getByRole('dialog', { name: t.shortcuts.title })).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(page.getByRole('dialog', { name: t.shortcuts.title })).toBeHidden();
    const rows = page.getByTestId('ticket-row');
    await expect(rows.first()).toHaveAttribute('data-selected', 'true');
    await page.keyboard.press('j');
    await expect(rows.nth(1)).toHaveAttribute('data-selected', 'true');
    const ticketId = await rows.nth(1).getAttribute('data-ticket-id');
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(new RegExp(`/tickets/${ticketId}$`));
    const thread = page.getByTestId('thread');
    await expect(thread).toBeVisible();
    await expect(page.getByTestId('customer-panel')).toBeVisible();
    await expect(page.getByTestId('last-problem')).toBeVisible();

    // a: assign to me.
    await page.getByTestId('ticket-subject').click();
    await page.keyboard.press('a');
    await expect(page.getByTestId('assignee-badge')).toContainText(c.me);

    // r: reply.
    await page.keyboard.press('r');
    await expect(page.getByTestId('composer')).toHaveAttribute('data-mode', 'reply');
    await expect(page.getByTestId('composer-body')).toBeFocused();
    await page.keyboard.type(c.reply);
    // What is typed sets the text direction (dir="auto" on the textarea itself).
    expect(await page.getByTestId('composer-body').evaluate((el) => getComputedStyle(el).direction)).toBe(c.lng === 'ar' ? 'rtl' : 'ltr');
    await page.getByTestId('composer-send').click();
    await expect(thread.getByTestId('reply').filter({ hasText: c.reply })).toBeVisible();
    await expect(page.getByTestId('composer-body')).toHaveValue('');

    // n: internal note, marked as such.
    await page.getByTestId('ticket-subject').click();
    await page.keyboard.press('n');
    await expect(page.getByTestId('composer')).toHaveAttribute('data-mode', 'note');
    await page.getByTestId('composer-body').fill(c.note);
    await page.getByTestId('composer-send').click();
    const note = thread.getByTestId('note').filter({ hasText: c.note });
    await expect(note).toBeVisible();
    await expect(note).toContainText(t.thread.internalNote);
    await expect(note).toHaveAttribute('data-kind', 'note');

    // Transfer to a colleague with a note.
    await page.getByTestId('transfer').click();
    await choose(page, 'transfer-to', `${c.colleague} · ${t.roles.agent}`);
    await page.getByTestId('transfer-note').fill(c.handover);
    // Both fields hold what was entered before the form may be sent.
    await expect(page.getByTestId('transfer-to')).toHaveValue(`${c.colleague} · ${t.roles.agent}`);
    await expect(page.getByTestId('transfer-note')).toHaveValue(c.handover);
    await expect(page.getByTestId('transfer-submit')).toBeEnabled();
    await page.getByTestId('transfer-submit').click();
    await expect(page.getByTestId('transfer-modal')).toBeHidden();
    await expect(page.getByTestId('assignee-badge')).toContainText(c.colleague);
    await expect(thread.getByTestId('note').filter({ hasText: c.handover })).toBeVisible();

    // Solve.
    await choose(page, 'field-status', t.status.solved);
    await expect(page.getByTestId('ticket-properties').getByTestId('field-status')).toHaveValue(t.status.solved);
    await expect(page.locator('[data-testid="status-badge"][data-status="solved"]').first()).toBeVisible();

    // The history records each step.
    await page.getByTestId('timeline-tab').click();
    const timeline = page.getByTestId('timeline');
    await expect(timeline).toContainText(t.events.ticket_assigned);
    await expect(timeline).toContainText(t.events.note_added);
    await expect(timeline).toContainText(t.events.ticket_status_changed);
    await expect(timeline).toContainText(c.handover);
  });
}

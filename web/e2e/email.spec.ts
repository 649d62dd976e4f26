import { expect, test } from '@playwright/test';
import { catalogs, csrfOf, signInStaff } from './helpers';

const t = catalogs.en;

test('a manager renames the default mailbox; a reply that cannot be sent shows retrying, then failed, and can be sent again', async ({ page }) => {
  test.setTimeout(240_000);
  await signInStaff(page, 'maria.manager', 'en');

  // The mailbox admin page: edit the default mailbox's name and see it saved.
  await page.getByTestId('nav-admin-mailboxes').click();
  const row = page.getByTestId('mailbox-row').first();
  await expect(row).toBeVisible();
  await row.click();
  const name = page.getByTestId('mailbox-name');
  await name.fill('Support desk (e2e)');
  await page.getByTestId('mailbox-save').click();
  await expect(page.getByTestId('mailbox-form')).toBeHidden();
  await expect(row).toContainText('Support desk (e2e)');
  await page.reload();
  await expect(page.getByTestId('mailbox-row').first()).toContainText('Support desk (e2e)');

  // A bad relay URL is refused next to its field.
  await page.getByTestId('mailbox-row').first().click();
  await page.getByTestId('mailbox-default-relay').uncheck();
  await page.getByTestId('mailbox-smtp-url').fill('http://relay.example.com');
  await page.getByTestId('mailbox-save').click();
  await expect(page.getByTestId('mailbox-form')).toContainText(t.adminEmail.errors.field_smtpUrl);
  await page.keyboard.press('Escape');

  // A customer writes in; the demo desk has no outbound relay, so the agent's reply cannot leave.
  const raw = [
    'From: Dana Reyes <dana.reyes@example.com>',
    'To: support@localhost',
    'Subject: Invoice never arrived',
    `Message-ID: <e2e-${Date.now()}@example.com>`,
    'Content-Type: text/plain; charset=UTF-8',
    '',
    'I did not get my invoice for November.',
    '',
  ].join('\r\n');
  const posted = await page.request.post('/api/v1/email/inbound', { data: raw, headers: { 'content-type': 'message/rfc822', 'x-csrf-token': await csrfOf(page) } });
  expect(posted.status()).toBe(202);
  const inboundId = (await posted.json()).id as string;
  let ticketId = '';
  await expect
    .poll(async () => {
      const list = await (await page.request.get('/api/v1/email/inbound?limit=50')).json();
      ticketId = list.data.find((i: { id: string }) => i.id === inboundId)?.ticketId ?? '';
      return ticketId;
    }, { timeout: 60_000 })
    .not.toBe('');

  await page.goto(`/tickets/${ticketId}`);
  await page.getByTestId('composer-body').fill('We are sending the invoice again today.');
  await page.getByTestId('composer-send').click();
  const reply = page.getByTestId('thread').getByTestId('reply').filter({ hasText: 'We are sending the invoice again today.' });
  const status = reply.getByTestId('delivery-status');
  // Retried with backoff (about half a minute in all), the state arriving over the live connection.
  await expect(status).toHaveAttribute('data-state', 'retrying', { timeout: 60_000 });
  await expect(status).toContainText('next try');
  await expect(status).toHaveAttribute('data-state', 'failed', { timeout: 120_000 });
  await expect(status).toContainText(t.delivery.failed);
  await expect(status.getByTestId('delivery-error')).toContainText('no outbound SMTP relay');
  await status.getByTestId('delivery-resend').click();
  await expect(status).not.toHaveAttribute('data-state', 'failed');
});

test('failed incoming mail is listed for a manager, who can read it as received and try it again', async ({ page }) => {
  await signInStaff(page, 'maria.manager', 'en');
  // No From header: the message is kept but cannot become a ticket.
  const subject = `Nobody wrote this ${Date.now()}`;
  const raw = ['To: support@localhost', `Subject: ${subject}`, 'Content-Type: text/plain; charset=UTF-8', '', 'Lost sender.', ''].join('\r\n');
  const posted = await page.request.post('/api/v1/email/inbound', { data: raw, headers: { 'content-type': 'message/rfc822', 'x-csrf-token': await csrfOf(page) } });
  expect(posted.status()).toBe(202);

  await page.getByTestId('nav-admin-inbound-failures').click();
  const row = page.getByTestId('inbound-failure').filter({ hasText: subject });
  await expect(async () => {
    await page.reload();
    await expect(row).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 60_000 });
  await expect(row).toContainText('no sender address');

  await row.getByRole('button', { name: t.adminEmail.viewRaw }).click();
  await expect(page.getByTestId('inbound-raw')).toContainText(`Subject: ${subject}`);
  await page.keyboard.press('Escape');

  const retried = page.waitForResponse((r) => r.url().includes('/retry') && r.request().method() === 'POST');
  await row.getByRole('button', { name: t.adminEmail.retry }).click();
  expect((await retried).status()).toBe(202);
  // Still without a sender, it fails again and stays on the list.
  await expect(row).toBeVisible();
});

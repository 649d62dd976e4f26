import { randomBytes } from 'node:crypto';
import zlib from 'node:zlib';
import { expect, test, type Page } from '@playwright/test';
import { catalogs, csrfOf, signInStaff } from './helpers';

const t = catalogs.en;

/** A grey PNG of this size, so the test can tell a shown image by its natural width. */
function png(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const head = Buffer.alloc(4);
    head.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(body));
    return Buffer.concat([head, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // 8-bit greyscale
  const rows = Buffer.alloc((width + 1) * height, 0x90);
  for (let y = 0; y < height; y++) rows[y * (width + 1)] = 0; // no filter
  return Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), chunk('IHDR', header), chunk('IDAT', zlib.deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]);
}

/** Just past the app's limit for one inline image (3 MB). */
const inlineBigBytes = 3 * 1024 * 1024 + 1024;

const base64Lines = (data: Buffer) => data.toString('base64').replace(/.{76}/g, '$&\r\n');

/** Posts raw mail as a mail service would and waits until the desk has made it a ticket; its id. */
async function mailToTicket(page: Page, raw: string): Promise<string> {
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
  return ticketId;
}

test('a manager renames the default mailbox; a reply with no relay fails at once and can be sent again; one whose relay does not answer shows retrying', async ({ page }) => {
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
  const ticketId = await mailToTicket(page, raw);

  await page.goto(`/tickets/${ticketId}`);
  const send = async (body: string) => {
    await page.getByTestId('composer-body').fill(body);
    await page.getByTestId('composer-send').click();
    return page.getByTestId('thread').getByTestId('reply').filter({ hasText: body }).getByTestId('delivery-status');
  };
  // No relay at all: failed at once, saying why; sending again is answered and fails the same way.
  let status = await send('We are sending the invoice again today.');
  await expect(status).toHaveAttribute('data-state', 'failed', { timeout: 60_000 });
  await expect(status).toContainText(t.delivery.failed);
  await expect(status.getByTestId('delivery-error')).toContainText('no outbound SMTP relay');
  const resent = page.waitForResponse((r) => r.url().includes('/api/v1/email/outbound/') && r.request().method() === 'POST');
  await status.getByTestId('delivery-resend').click();
  expect((await resent).status()).toBe(202);
  await expect(status).toHaveAttribute('data-state', 'failed', { timeout: 60_000 });

  // A relay that does not answer: retrying, with the next try and the error, arriving over the live connection.
  const box = (await (await page.request.get('/api/v1/email/mailboxes')).json()).data.find((m: { address: string }) => m.address === 'support@localhost');
  const relay = async (smtpUrl: string | null) => page.request.patch(`/api/v1/email/mailboxes/${box.id}`, { data: { smtpUrl }, headers: { 'x-csrf-token': await csrfOf(page) } });
  expect((await relay('smtp://127.0.0.1:9')).status()).toBe(200);
  try {
    status = await send('The invoice is attached.');
    await expect(status).toHaveAttribute('data-state', 'retrying', { timeout: 60_000 });
    await expect(status).toContainText('next try');
    await expect(status.getByTestId('delivery-error')).toContainText(/ECONNREFUSED|connect/i);
  } finally {
    await relay(null);
  }
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

test('an emailed reply shows without its quoted history, which is one click away; the original mail loads remote images only when asked', async ({ page }) => {
  test.setTimeout(120_000);
  await signInStaff(page, 'maria.manager', 'en');
  const stamp = Date.now();
  const raw = [
    'From: Dana Reyes <dana.reyes@example.com>',
    'To: support@localhost',
    `Subject: Reset link ${stamp}`,
    `Message-ID: <e2e-quoted-${stamp}@example.com>`,
    'MIME-Version: 1.0',
    'Content-Type: multipart/alternative; boundary="b1"',
    '',
    '--b1',
    'Content-Type: text/plain; charset=UTF-8',
    '',
    'Thanks, the reset link worked.',
    '',
    'On Mon, 30 Nov 2026 at 10:00, Support <support@localhost> wrote:',
    '> Please try the reset link we sent.',
    '',
    '--b1',
    'Content-Type: text/html; charset=UTF-8',
    '',
    '<p>Thanks, the reset link worked.</p><img src="https://images.example.com/pixel.png" alt="tracker"><blockquote>Please try the reset link we sent.</blockquote>',
    '--b1--',
    '',
  ].join('\r\n');
  const ticketId = await mailToTicket(page, raw);

  // Remote images are answered here, so we see whether the browser asked for one.
  const remote: string[] = [];
  await page.route('https://images.example.com/**', (route) => {
    remote.push(route.request().url());
    return route.fulfill({ contentType: 'image/gif', body: Buffer.from('R0lGODlhAQABAAAAACw=', 'base64') });
  });

  await page.goto(`/tickets/${ticketId}`);
  const message = page.getByTestId('thread').getByTestId('reply').first();
  const body = message.getByTestId('message-body');
  await expect(body).toContainText('Thanks, the reset link worked.');
  await expect(body).not.toContainText('Please try the reset link');
  const toggle = message.getByTestId('quoted-toggle');
  await expect(toggle).toHaveText(t.mail.showQuoted);
  await toggle.click();
  await expect(body).toContainText('> Please try the reset link we sent.');
  await expect(toggle).toHaveText(t.mail.hideQuoted);
  await toggle.click();
  await expect(body).not.toContainText('Please try the reset link');

  // The original mail, in a frame with no origin whose only script reports its height; its remote image waits for the agent.
  await message.getByTestId('original-toggle').click();
  const frame = message.getByTestId('original-mail');
  // No same origin: the mail can never reach the app's session, whatever runs or loads in it.
  await expect(frame.locator('iframe')).not.toHaveAttribute('sandbox', /allow-same-origin/);
  await expect(frame.frameLocator('iframe').locator('blockquote')).toContainText('Please try the reset link we sent.');
  await expect(frame.frameLocator('iframe').locator('img')).toHaveAttribute('data-remote-src', 'https://images.example.com/pixel.png');
  await page.waitForTimeout(500);
  expect(remote).toEqual([]);
  await frame.getByTestId('load-remote-images').click();
  await expect(frame.getByTestId('load-remote-images')).toBeHidden();
  await expect.poll(() => remote, { timeout: 10_000 }).toEqual(['https://images.example.com/pixel.png']);
});

test('the original mail shows its inline images, leaves out one too large, fits its height and opens links in a new tab', async ({ page, context }) => {
  test.setTimeout(180_000);
  await signInStaff(page, 'maria.manager', 'en');
  const stamp = Date.now();
  const big = randomBytes(inlineBigBytes);
  const raw = [
    'From: Dana Reyes <dana.reyes@example.com>',
    'To: support@localhost',
    `Subject: Screenshot of the error ${stamp}`,
    `Message-ID: <e2e-inline-${stamp}@example.com>`,
    'MIME-Version: 1.0',
    'Content-Type: multipart/related; boundary="r1"',
    '',
    '--r1',
    'Content-Type: text/html; charset=UTF-8',
    '',
    '<p>The export fails, see the <a href="https://help.example.com/export">help page</a> and the screenshot:</p>',
    '<img src="cid:shot@example.com" alt="screenshot"><img src="cid:big@example.com" alt="full size">',
    `<pre>export failed: ${'job=nightly-export;'.repeat(40)}</pre>`,
    '<p>Thanks, Dana</p>',
    '--r1',
    'Content-Type: image/png; name="shot.png"',
    'Content-Disposition: inline; filename="shot.png"',
    'Content-ID: <shot@example.com>',
    'Content-Transfer-Encoding: base64',
    '',
    base64Lines(png(40, 600)),
    '--r1',
    'Content-Type: image/png; name="big.png"',
    'Content-Disposition: inline; filename="big.png"',
    'Content-ID: <big@example.com>',
    'Content-Transfer-Encoding: base64',
    '',
    base64Lines(big),
    '--r1--',
    '',
  ].join('\r\n');
  const ticketId = await mailToTicket(page, raw);

  // Which attachments the app fetches: the small image, never the one past the limit.
  const fetched: string[] = [];
  page.on('request', (r) => {
    if (r.url().includes('/api/v1/attachments/')) fetched.push(r.url());
  });
  // The link's target, answered here.
  await context.route('https://help.example.com/**', (route) => route.fulfill({ contentType: 'text/html', body: '<title>Help</title>Export help' }));

  await page.goto(`/tickets/${ticketId}`);
  const message = page.getByTestId('thread').getByTestId('reply').first();
  await message.getByTestId('original-toggle').click();
  const original = message.getByTestId('original-mail');
  const iframe = original.locator('iframe');
  const sandbox = (await iframe.getAttribute('sandbox'))?.split(' ') ?? [];
  expect(sandbox.sort()).toEqual(['allow-popups', 'allow-popups-to-escape-sandbox', 'allow-scripts']);
  const frame = original.frameLocator('iframe');

  // The inline image is shown, from a data: address (the frame itself has no session to fetch it with).
  const shot = frame.locator('img[alt="screenshot"]');
  await expect(shot).toHaveAttribute('src', /^data:image\/png;base64,/);
  await expect.poll(() => shot.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(40);
  // The one past the limit is a link to the file, not an image, and was never fetched.
  await expect(frame.locator('img[alt="full size"]')).toHaveCount(0);
  const tooLarge = frame.locator('a[data-too-large]');
  await expect(tooLarge).toContainText('big.png');
  await expect(tooLarge).toHaveAttribute('href', /\/api\/v1\/attachments\/[0-9a-f-]{36}$/);
  expect(fetched).toHaveLength(1);

  // The frame grows to the mail (a 600 px image) instead of scrolling inside 360 px, its horizontal scrollbar (the wide table) included.
  await expect.poll(async () => (await iframe.boundingBox())?.height ?? 0).toBeGreaterThan(600);
  expect((await iframe.boundingBox())!.height).toBeLessThanOrEqual(1200);
  expect(await frame.locator('html').evaluate((html) => html.scrollHeight <= html.clientHeight)).toBe(true);

  // Links open in a new tab, outside the sandbox, with no opener.
  const link = frame.getByRole('link', { name: 'help page' });
  await expect(link).toHaveAttribute('target', '_blank');
  await expect(link).toHaveAttribute('rel', 'noopener noreferrer');
  await expect(frame.locator('base')).toHaveAttribute('target', '_blank');
  const opened = context.waitForEvent('page');
  await link.click();
  const tab = await opened;
  await tab.waitForLoadState();
  expect(tab.url()).toBe('https://help.example.com/export');
  await expect(tab.locator('body')).toContainText('Export help');
  expect(await tab.evaluate(() => window.opener)).toBeNull();
  await tab.close();
});

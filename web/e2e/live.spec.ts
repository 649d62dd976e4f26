import { expect, test } from '@playwright/test';
import { choose, csrfOf, openTeamQueue, signInStaff } from './helpers';

test('changes by a second browser show up live in the first, and each agent sees the other', async ({ browser }) => {
  const first = await browser.newContext();
  const second = await browser.newContext();
  try {
    const a = await first.newPage();
    const b = await second.newPage();
    await signInStaff(a, 'daniel.l2', 'en');
    await signInStaff(b, 'sergei.l2', 'en');
    await expect(a.getByTestId('realtime-status')).toHaveAttribute('data-connected', 'true');

    // A new ticket created elsewhere appears in the open queue without a reload.
    await openTeamQueue(a, 'Level 2');
    const teams = (await (await b.request.get('/api/v1/teams')).json()).data as { id: string; name: string }[];
    const level2 = teams.find((tm) => tm.name === 'Level 2')!;
    const subject = `VPN drops every hour (live ${Date.now()})`;
    const created = await b.request.post('/api/v1/tickets', {
      headers: { 'x-csrf-token': await csrfOf(b) },
      data: { subject, channel: 'phone', body: 'The VPN disconnects every hour on the hour.', requester: { email: 'live.caller@example.com', name: 'Live Caller' }, teamId: level2.id },
    });
    expect(created.status()).toBe(201);
    const ticket = await created.json();
    const row = a.getByTestId('ticket-row').filter({ hasText: subject });
    await expect(row).toBeVisible();

    // Both open it: each sees the other.
    await row.click();
    await expect(a.getByTestId('thread')).toBeVisible();
    await b.goto(`/tickets/${ticket.id}`);
    await expect(b.getByTestId('thread')).toBeVisible();
    await expect(a.getByTestId('presence')).toContainText('Sergei Morozov');
    await expect(b.getByTestId('presence')).toContainText('Daniel Wright');

    // Typing warns the other agent.
    await b.getByTestId('composer-body').pressSequentially('Hello, we are looking at it');
    await expect(a.getByTestId('typing-warning')).toContainText('Sergei Morozov');

    // A reply and a priority change made in B appear in A.
    await b.getByTestId('composer-send').click();
    await expect(a.getByTestId('thread').getByTestId('reply').filter({ hasText: 'Hello, we are looking at it' })).toBeVisible();
    await choose(b, 'field-priority', 'Urgent');
    await expect(a.getByTestId('field-priority')).toHaveValue('Urgent');

    // When B leaves, A no longer lists B.
    await b.goto('/queues/mine');
    await expect(a.getByTestId('presence')).toBeHidden();
  } finally {
    await first.close();
    await second.close();
  }
});

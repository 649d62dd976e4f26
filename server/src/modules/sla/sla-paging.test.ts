import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDesk, type Account, type TestDesk } from '../../../test/harness.js';
import { onePage, walkPages } from '../../../test/pages.js';
import { drainJobs, newTicket } from '../../../test/promises.js';
import { ManualClock } from '../../platform/clock.js';
import { notifyStaff } from './notifications.service.js';

describe('notifications and the at-risk list page with a cursor', () => {
  const clock = new ManualClock(new Date('2026-11-24T10:00:00Z')); // a Tuesday
  let desk: TestDesk;
  let admin: Account;
  beforeAll(async () => {
    desk = await startDesk({ clock });
    admin = await desk.as('admin');
  });
  afterAll(async () => desk?.close());

  it('notifications: every one once, newest first, ties in time included; only my own', async () => {
    // Both in the ticket's team: a notice about a ticket the reader may not see is not listed.
    const team = await desk.team('Напоминания');
    const agent = await desk.as('agent', { teamIds: [team] });
    const other = await desk.as('agent', { teamIds: [team] });
    const ticket = await newTicket(desk, admin, { teamId: team });
    const reminder = (note: string) => ({ followUpId: crypto.randomUUID(), dueAt: '2026-11-24T09:00:00.000Z', note, number: ticket.number });
    // One instant for all: a breach told to many at once, or a batch of reminders.
    const at = new Date('2026-11-24T09:00:00.123Z');
    for (let i = 0; i < 7; i++) await notifyStaff(desk.ctx.db, [agent.id, other.id], { ticketId: ticket.id, kind: 'followup.reminder', data: reminder(`Перезвонить ${i}`), at });
    await notifyStaff(desk.ctx.db, [agent.id], { ticketId: ticket.id, kind: 'followup.reminder', data: reminder('later'), at: new Date('2026-11-24T09:30:00Z') });

    const all = await onePage<{ id: string; data: { note: string } }>(desk, agent, '/api/v1/notifications');
    expect(all).toHaveLength(8);
    expect(all[0].data.note).toBe('later');
    for (const limit of [1, 2, 3]) {
      const walked = await walkPages<{ id: string }>(desk, agent, '/api/v1/notifications', limit);
      expect(walked.map((n) => n.id)).toEqual(all.map((n) => n.id));
    }
    const theirs = new Set((await onePage<{ id: string }>(desk, other, '/api/v1/notifications')).map((n) => n.id));
    expect(all.some((n) => theirs.has(n.id))).toBe(false);

    // Unread only, read ones left out on every page.
    const read = all.filter((_, i) => i % 2 === 0).map((n) => n.id);
    expect((await desk.request(agent, 'POST', '/api/v1/notifications/read', { ids: read })).body.updated).toBe(read.length);
    const unread = await walkPages<{ id: string }>(desk, agent, '/api/v1/notifications?unread=true', 2);
    expect(unread.map((n) => n.id)).toEqual(all.map((n) => n.id).filter((id) => !read.includes(id)));

    for (const cursor of ['nonsense', Buffer.from('["notifications","yesterday","x"]').toString('base64url')]) {
      const bad = await desk.request(agent, 'GET', `/api/v1/notifications?cursor=${cursor}`);
      expect(bad.status).toBe(400);
      expect(bad.body.error).toMatchObject({ code: 'invalid_cursor', field: 'cursor' });
    }
  });

  it('at-risk targets: every one once, soonest due first, ties in due time and stopped clocks included', async () => {
    const team = await desk.team('Пейджинг');
    clock.set(new Date('2026-11-24T10:00:00Z'));
    // Chat: first response in 60 s of wall-clock time. Tickets made in one instant are due in one instant.
    const made: { id: string }[] = [];
    for (let i = 0; i < 6; i++) made.push(await newTicket(desk, admin, { channel: 'chat', teamId: team, subject: `Чат ${i}` }));
    clock.advance(66_000);
    await drainJobs(desk);
    // Waiting on the customer stops a breached target's clock: it has no due time and comes last.
    for (const t of made.slice(0, 2)) expect((await desk.request(admin, 'PATCH', `/api/v1/tickets/${t.id}`, { status: 'pending' })).status).toBe(200);

    type Row = { ticket: { id: string }; target: { metric: string; dueAt: string | null } };
    const key = (r: Row) => `${r.ticket.id}/${r.target.metric}`;
    for (const state of ['at_risk', 'breached']) {
      const all = await onePage<Row>(desk, admin, `/api/v1/sla/targets?state=${state}`);
      const mine = all.filter((r) => made.some((t) => t.id === r.ticket.id) && r.target.metric === 'first_response');
      expect(mine).toHaveLength(6);
      expect(mine.slice(-2).every((r) => r.target.dueAt === null)).toBe(true);
      expect(new Set(mine.slice(0, 4).map((r) => r.target.dueAt)).size).toBe(1);
      for (const limit of [1, 2, 4]) {
        const walked = await walkPages<Row>(desk, admin, `/api/v1/sla/targets?state=${state}`, limit);
        expect(walked.map(key)).toEqual(all.map(key));
      }
    }

    const bad = await desk.request(admin, 'GET', '/api/v1/sla/targets?cursor=nonsense');
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'invalid_cursor', field: 'cursor' });
    // A cursor of this list is no position in another.
    const cursor = (await desk.request(admin, 'GET', '/api/v1/sla/targets?limit=1')).body.nextCursor;
    expect(cursor).toEqual(expect.any(String));
    const elsewhere = await desk.request(admin, 'GET', `/api/v1/notifications?cursor=${cursor}`);
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.body.error).toMatchObject({ code: 'invalid_cursor', field: 'cursor' });
  });
});

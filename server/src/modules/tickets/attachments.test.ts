import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDesk, storedFileCount, type Account, type TestDesk } from '../../../test/harness.js';

let desk: TestDesk;
let admin: Account;

beforeAll(async () => {
  desk = await startDesk();
  admin = await desk.as('admin');
});
afterAll(async () => desk?.close());

describe('attachments', () => {
  it('stores files with a message and gives the same bytes back as a download', async () => {
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3, 255]);
    const created = await desk.request(admin, 'POST', '/api/v1/tickets', {
      subject: 'Screenshot of the error',
      channel: 'portal',
      requester: { email: 'shot@example.com' },
      body: 'See the picture',
      attachments: [{ filename: 'خطا.png', contentType: 'image/png', contentBase64: bytes.toString('base64') }],
    });
    expect(created.status).toBe(201);
    const [file] = created.body.messages[0].attachments;
    expect(file).toMatchObject({ filename: 'خطا.png', contentType: 'image/png', size: bytes.length });

    const download = await desk.app.inject({ method: 'GET', url: file.url, headers: admin.headers });
    expect(download.statusCode).toBe(200);
    expect(download.rawPayload.equals(bytes)).toBe(true);
    expect(download.headers['content-disposition']).toContain('attachment');
    expect(download.headers['x-content-type-options']).toBe('nosniff');

    const bad = await desk.request(admin, 'POST', `/api/v1/tickets/${created.body.id}/messages`, {
      body: 'x',
      attachments: [{ filename: 'a.txt', contentBase64: '***not base64***' }],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('attachments.0.contentBase64');
    // A type that could not go back out as a header (it would have made the download a 500).
    for (const contentType of ['text/plain;\r\n x=1', 'text/plain; charset=utf-8\r\nSet-Cookie: a=1', 'text/plain; x=ÿĀ', 'not a type']) {
      const odd = await desk.request(admin, 'POST', `/api/v1/tickets/${created.body.id}/messages`, {
        body: 'x',
        attachments: [{ filename: 'a.txt', contentType, contentBase64: Buffer.from('a').toString('base64') }],
      });
      expect(odd.status).toBe(400);
      expect(odd.body.error.field).toBe('attachments.0.contentType');
    }
  });
});

describe('merge', () => {
  it('moves the messages onto the target, closes the source and records both sides', async () => {
    const make = (subject: string) =>
      desk.request(admin, 'POST', '/api/v1/tickets', { subject, channel: 'email', requester: { email: 'dup@example.com' }, body: subject });
    const a = (await make('VPN drops every hour')).body;
    const b = (await make('VPN disconnects again')).body;
    const merged = await desk.request(admin, 'POST', `/api/v1/tickets/${b.id}/merge`, { targetId: a.id });
    expect(merged.status).toBe(200);
    expect(merged.body.messages.map((m: { body: string }) => m.body)).toEqual(['VPN drops every hour', 'VPN disconnects again']);
    const source = await desk.request(admin, 'GET', `/api/v1/tickets/${b.id}`);
    expect(source.body).toMatchObject({ status: 'closed', mergedIntoId: a.id });
    const again = await desk.request(admin, 'POST', `/api/v1/tickets/${b.id}/merge`, { targetId: a.id });
    expect(again.status).toBe(409);
    const self = await desk.request(admin, 'POST', `/api/v1/tickets/${a.id}/merge`, { targetId: a.id });
    expect(self.status).toBe(400);
    const timeline = await desk.request(admin, 'GET', `/api/v1/tickets/${a.id}/timeline`);
    expect(timeline.body.data.map((e: { type: string }) => e.type)).toContain('ticket.merge_received');
    const write = await desk.request(admin, 'POST', `/api/v1/tickets/${b.id}/messages`, { body: 'late' });
    expect(write.status).toBe(409);
  });

  it('two opposite merges at once: one wins, the other is told the ticket was merged', async () => {
    const make = (subject: string) => desk.request(admin, 'POST', '/api/v1/tickets', { subject, channel: 'email', requester: { email: 'swap@example.com' }, body: subject });
    const [x, y] = [(await make('Swap one')).body, (await make('Swap two')).body];
    const answers = await Promise.all([
      desk.request(admin, 'POST', `/api/v1/tickets/${x.id}/merge`, { targetId: y.id }),
      desk.request(admin, 'POST', `/api/v1/tickets/${y.id}/merge`, { targetId: x.id }),
    ]);
    expect(answers.map((a) => a.status).filter((s) => s === 200)).toHaveLength(1);
    const loser = answers.find((a) => a.status !== 200)!;
    expect(loser.body.error.code).toMatch(/^(ticket_merged|invalid_target)$/);
    expect(loser.body.error.message).not.toContain('no such ticket');
  });

  it("refuses to merge two customers' tickets: one would read the other's messages and files", async () => {
    const file = { filename: 'passport.txt', contentType: 'text/plain', contentBase64: Buffer.from('passport scan').toString('base64') };
    const ivan = await desk.request(admin, 'POST', '/api/v1/tickets', {
      subject: 'Паспорт для пропуска',
      channel: 'email',
      requester: { email: 'ivan.merge@example.com' },
      body: 'Номер паспорта во вложении',
      attachments: [file],
    });
    const grace = await desk.request(admin, 'POST', '/api/v1/tickets', { subject: 'Badge', channel: 'email', requester: { email: 'grace.merge@example.com' }, body: 'My badge' });
    const merged = await desk.request(admin, 'POST', `/api/v1/tickets/${ivan.body.id}/merge`, { targetId: grace.body.id });
    expect(merged.status).toBe(409);
    expect(merged.body.error).toMatchObject({ code: 'requesters_differ', field: 'targetId' });
    const target = await desk.request(admin, 'GET', `/api/v1/tickets/${grace.body.id}`);
    expect(target.body.messages.map((m: { body: string }) => m.body)).toEqual(['My badge']);
    const download = await desk.app.inject({ method: 'GET', url: ivan.body.messages[0].attachments[0].url, headers: admin.headers });
    expect(download.statusCode).toBe(200);
    expect((await desk.request(admin, 'GET', `/api/v1/tickets/${ivan.body.id}`)).body).toMatchObject({ status: 'new', mergedIntoId: null });
  });

  it('keeps no bytes of files sent with a write that was refused', async () => {
    const files = () => storedFileCount(desk);
    const file = { filename: 'log.txt', contentType: 'text/plain', contentBase64: Buffer.from('error log').toString('base64') };
    const ticket = await desk.request(admin, 'POST', '/api/v1/tickets', { subject: 'Closed soon', channel: 'email', requester: { email: 'closed@example.com' }, body: 'x' });
    await desk.request(admin, 'PATCH', `/api/v1/tickets/${ticket.body.id}`, { status: 'closed' });
    const before = files();

    const unknown = await desk.request(admin, 'POST', `/api/v1/tickets/${randomUUID()}/messages`, { body: 'x', attachments: [file, file] });
    expect(unknown.status).toBe(404);
    const closed = await desk.request(admin, 'POST', `/api/v1/tickets/${ticket.body.id}/messages`, { body: 'x', attachments: [file] });
    expect(closed.status).toBe(409);
    const noTeam = await desk.request(admin, 'POST', '/api/v1/tickets', { subject: 'x', channel: 'email', requester: { email: 'closed@example.com' }, body: 'x', teamId: randomUUID(), attachments: [file] });
    expect(noTeam.status).toBe(400);
    expect(files()).toBe(before);

    // The same file on a write that is accepted is kept.
    const note = await desk.request(admin, 'POST', `/api/v1/tickets/${ticket.body.id}/messages`, { body: 'x', internal: true, attachments: [file] });
    expect(note.status).toBe(201);
    expect(files()).toBe(before + 1);
  });
});

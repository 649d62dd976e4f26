import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedText, startDesk, type Account, type TestDesk } from '../../../test/harness.js';

let desk: TestDesk;
let admin: Account;

beforeAll(async () => {
  desk = await startDesk();
  admin = await desk.as('admin');
});
afterAll(async () => desk?.close());

describe('a ticket worked end to end', () => {
  it('creates, replies, notes, assigns, solves and keeps the history', async () => {
    const team = await desk.team('Level 1', 1);
    const agent = await desk.as('agent', { teamIds: [team] });

    const customer = await desk.request(admin, 'POST', '/api/v1/customers', {
      name: 'Samad Madadi',
      emails: ['samad@example.ir'],
      language: 'fa',
      timeZone: 'Asia/Tehran',
    });
    expect(customer.status).toBe(201);

    const created = await desk.request(admin, 'POST', '/api/v1/tickets', {
      subject: 'Cannot sign in after the update',
      channel: 'email',
      requester: { email: 'SAMAD@example.ir' },
      body: 'Since this morning the app says my password is wrong.',
      priority: 'high',
    });
    expect(created.status).toBe(201);
    const t = created.body;
    expect(t.number).toBeGreaterThanOrEqual(1000);
    expect(t.reference).toBe(`#${t.number}`);
    expect(t.requester.id).toBe(customer.body.id);
    expect(t.status).toBe('new');
    expect(t.messages).toHaveLength(1);

    const reply = await desk.request(admin, 'POST', `/api/v1/tickets/${t.id}/messages`, { body: 'Hello Samad, we are looking at it.' });
    expect(reply.status).toBe(201);
    expect(reply.body.ticket.status).toBe('open');
    expect(reply.body.ticket.firstResponseAt).not.toBeNull();

    const note = await desk.request(admin, 'POST', `/api/v1/tickets/${t.id}/messages`, { body: 'Looks like the SSO outage.', internal: true });
    expect(note.status).toBe(201);
    expect(note.body.message.kind).toBe('note');

    const assigned = await desk.request(admin, 'PATCH', `/api/v1/tickets/${t.id}`, { assigneeId: agent.id, teamId: team, category: 'login' });
    expect(assigned.status).toBe(200);
    expect(assigned.body.assignee).toEqual({ id: agent.id, name: expect.any(String) });
    expect(assigned.body.team.id).toBe(team);

    const solved = await desk.request(agent, 'PATCH', `/api/v1/tickets/${t.id}`, { status: 'solved', tags: ['sso', 'sso', 'login'] });
    expect(solved.status).toBe(200);
    expect(solved.body.status).toBe('solved');
    expect(solved.body.solvedAt).not.toBeNull();
    expect(solved.body.tags).toEqual(['sso', 'login']);

    const timeline = await desk.request(admin, 'GET', `/api/v1/tickets/${t.id}/timeline`);
    expect(timeline.status).toBe(200);
    const types = timeline.body.data.map((e: { type: string }) => e.type);
    expect(types).toEqual(
      expect.arrayContaining(['ticket.created', 'message.added', 'note.added', 'ticket.assigned', 'ticket.team_changed', 'ticket.category_changed', 'ticket.status_changed', 'ticket.tags_changed']),
    );
    const statusChange = timeline.body.data.find((e: any) => e.type === 'ticket.status_changed' && e.data.to === 'solved');
    expect(statusChange.actor.id).toBe(agent.id);
    expect(statusChange.data.from).toBe('open');

    // A customer's reply to a solved ticket reopens it.
    const context = await desk.request(admin, 'GET', `/api/v1/customers/${customer.body.id}/context`);
    expect(context.status).toBe(200);
    expect(context.body.lastProblem).toMatchObject({ id: t.id, solved: true });
    expect(context.body.openCount).toBe(0);
  });

  it('refuses a stale update with 409 and accepts the current version', async () => {
    const t = (await desk.request(admin, 'POST', '/api/v1/tickets', { subject: 'Stale', channel: 'phone', requester: { email: 'stale@example.com' }, body: 'x' })).body;
    const first = await desk.request(admin, 'PATCH', `/api/v1/tickets/${t.id}`, { priority: 'urgent', version: t.version });
    expect(first.status).toBe(200);
    const stale = await desk.request(admin, 'PATCH', `/api/v1/tickets/${t.id}`, { priority: 'low', version: t.version });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('version_conflict');
    const viaHeader = await desk.request(admin, 'PATCH', `/api/v1/tickets/${t.id}`, { priority: 'low' }, { 'if-match': `"${t.version}"` });
    expect(viaHeader.status).toBe(409);
    const fresh = await desk.request(admin, 'PATCH', `/api/v1/tickets/${t.id}`, { priority: 'low' }, { 'if-match': `"${first.body.version}"` });
    expect(fresh.status).toBe(200);
    // `*`: any version, as long as the ticket exists.
    expect((await desk.request(admin, 'PATCH', `/api/v1/tickets/${t.id}`, { priority: 'high' }, { 'if-match': '*' })).status).toBe(200);
    expect((await desk.request(admin, 'PATCH', `/api/v1/tickets/${crypto.randomUUID()}`, { priority: 'high' }, { 'if-match': '*' })).status).toBe(404);
    expect((await desk.request(admin, 'PATCH', `/api/v1/tickets/${t.id}`, { priority: 'high' }, { 'if-match': 'soon' })).body.error.code).toBe('invalid_if_match');
  });

  it('refuses a ticket or a reply whose body is only spaces and newlines, before anything is sent', async () => {
    const blank = await desk.request(admin, 'POST', '/api/v1/tickets', { subject: 'Blank', channel: 'phone', requester: { email: 'blank@example.com' }, body: ' \n\t ' });
    expect(blank.status).toBe(400);
    expect(blank.body.error).toMatchObject({ code: 'invalid_request', field: 'body' });
    const t = await desk.request(admin, 'POST', '/api/v1/tickets', { subject: 'Not blank', channel: 'email', requester: { email: 'blank@example.com' }, body: '  indented text' });
    expect(t.status).toBe(201);
    expect(t.body.messages[0].body).toBe('  indented text');
    for (const internal of [false, true]) {
      const reply = await desk.request(admin, 'POST', `/api/v1/tickets/${t.body.id}/messages`, { body: '\n  \n', internal });
      expect(reply.status).toBe(400);
      expect(reply.body.error).toMatchObject({ code: 'invalid_request', field: 'body' });
    }
    const note = await desk.request(admin, 'PATCH', `/api/v1/tickets/${t.body.id}`, { priority: 'high', note: ' \n ' });
    expect(note.status).toBe(400);
    expect(note.body.error).toMatchObject({ code: 'invalid_request', field: 'note' });
    expect((await desk.request(admin, 'GET', `/api/v1/tickets/${t.body.id}`)).body).toMatchObject({ priority: 'normal', messages: [expect.anything()] });
  });

  it('answers bad input with 400 naming the field, and unknown ids with 404', async () => {
    const bad = await desk.request(admin, 'POST', '/api/v1/tickets', { subject: 'x', channel: 'fax', body: 'y', requester: { email: 'a@b.co' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_request');
    expect(bad.body.error.field).toBe('channel');

    const badEmail = await desk.request(admin, 'POST', '/api/v1/tickets', { subject: 'x', channel: 'email', body: 'y', requester: { email: 'nope' } });
    expect(badEmail.status).toBe(400);
    expect(badEmail.body.error.field).toBe('requester.email');

    const missing = await desk.request(admin, 'GET', '/api/v1/tickets/00000000-0000-4000-8000-000000000000');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('not_found');

    const wrongMethod = await desk.request(admin, 'DELETE', '/api/v1/tickets');
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.body.error.code).toBe('method_not_allowed');
    expect(wrongMethod.headers.allow).toBe('GET, HEAD, POST');
    const wrongOnOne = await desk.request(admin, 'PUT', '/api/v1/tickets/00000000-0000-4000-8000-000000000000/messages');
    expect(wrongOnOne.status).toBe(405);
    expect(String(wrongOnOne.headers.allow)).toContain('POST');
    const noSuchPath = await desk.request(admin, 'DELETE', '/api/v1/nothing-here');
    expect(noSuchPath.status).toBe(404);
    expect(noSuchPath.body.error.code).toBe('not_found');

    const notUuid = await desk.request(admin, 'GET', '/api/v1/tickets/42');
    expect(notUuid.status).toBe(400);
    expect(notUuid.body.error.field).toBe('id');

    const badAssignee = await desk.request(admin, 'POST', '/api/v1/tickets', {
      subject: 'x', channel: 'email', body: 'y', requester: { email: 'a@b.co' }, assigneeId: '00000000-0000-4000-8000-000000000000',
    });
    expect(badAssignee.status).toBe(400);
    expect(badAssignee.body.error.code).toBe('invalid_assignee');
    const both = await desk.request(admin, 'POST', '/api/v1/tickets', { subject: 'x', channel: 'email', body: 'y', requester: { email: 'a@b.co' }, requesterId: '00000000-0000-4000-8000-000000000000' });
    expect(both.status).toBe(400);
    expect(both.body.error.field).toBe('requester');
    // An analyst reads and classifies but may not answer: a ticket cannot be left with one.
    const analyst = await desk.as('analyst');
    const toAnalyst = await desk.request(admin, 'POST', '/api/v1/tickets', { subject: 'x', channel: 'email', body: 'y', requester: { email: 'a@b.co' }, assigneeId: analyst.id });
    expect(toAnalyst.status).toBe(400);
    expect(toAnalyst.body.error.code).toBe('invalid_assignee');
    const open = await desk.request(admin, 'POST', '/api/v1/tickets', { subject: 'x', channel: 'email', body: 'y', requester: { email: 'a@b.co' } });
    const patched = await desk.request(admin, 'PATCH', `/api/v1/tickets/${open.body.id}`, { assigneeId: analyst.id });
    expect(patched.status).toBe(400);
    expect(patched.body.error.field).toBe('assigneeId');
    const mine = await desk.request(admin, 'PATCH', `/api/v1/tickets/${open.body.id}`, { assigneeId: 'me' });
    expect(mine.status).toBe(200);
    expect(mine.body.assignee.id).toBe(admin.id);

    const badJson = await desk.app.inject({ method: 'POST', url: '/api/v1/tickets', headers: { ...admin.headers, 'content-type': 'application/json' }, payload: '{"subject":' });
    expect(badJson.statusCode).toBe(400);
    expect(badJson.json().error.code).toBe('invalid_json');
  });
});

describe('search', () => {
  const sentences = {
    arabic: { prefix: '000', word: 'الدعم' },
    persian: { prefix: '001', word: 'پشتیبانی' },
    russian: { prefix: '004', word: 'техподдержки' },
  };

  it('finds tickets by words in Arabic, Persian, Russian and English, in subjects and messages', async () => {
    const ids: Record<string, string> = {};
    for (const [lang, s] of Object.entries(sentences)) {
      const text = seedText(s.prefix);
      const line = text.split('\n').find((l) => l.includes(s.word) && l.length > 30)!;
      expect(line, `seed ${s.prefix} has a line with ${s.word}`).toBeTruthy();
      const res = await desk.request(admin, 'POST', '/api/v1/tickets', {
        subject: `Seed ${lang}`,
        channel: 'portal',
        requester: { email: `${lang}@seed.test` },
        body: line.slice(0, 2000),
      });
      expect(res.status).toBe(201);
      ids[lang] = res.body.id;
    }
    await desk.request(admin, 'POST', '/api/v1/tickets', { subject: 'Printers are jammed again', channel: 'email', requester: { email: 'en@seed.test' }, body: 'paper' });

    for (const [lang, s] of Object.entries(sentences)) {
      const res = await desk.request(admin, 'GET', `/api/v1/tickets?q=${encodeURIComponent(s.word)}`);
      expect(res.status).toBe(200);
      expect(res.body.data.map((t: { id: string }) => t.id), lang).toContain(ids[lang]);
      expect(res.body).toHaveProperty('nextCursor');
    }
    // Stemming: "printer" finds "Printers"; Russian inflection "техподдержка" finds "техподдержки".
    const en = await desk.request(admin, 'GET', `/api/v1/tickets?q=printer`);
    expect(en.body.data.some((t: { subject: string }) => t.subject === 'Printers are jammed again')).toBe(true);
    const ru = await desk.request(admin, 'GET', `/api/v1/tickets?q=${encodeURIComponent('техподдержка')}`);
    expect(ru.body.data.map((t: { id: string }) => t.id)).toContain(ids.russian);
    const none = await desk.request(admin, 'GET', `/api/v1/tickets?q=${encodeURIComponent('зеленоглазый')}`);
    expect(none.body.data).toHaveLength(0);
  });
});

describe('lists', () => {
  it('pages with a cursor through every ticket exactly once, filtered and sorted', async () => {
    const team = await desk.team('Pager team');
    const made: string[] = [];
    for (let i = 0; i < 7; i++) {
      const res = await desk.request(admin, 'POST', '/api/v1/tickets', {
        subject: `Paged ${i}`, channel: i % 2 ? 'chat' : 'email', requester: { email: `pager${i}@example.com` }, body: 'b', teamId: team, tags: i % 3 === 0 ? ['vip'] : [],
      });
      made.push(res.body.id);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/api/v1/tickets?teamId=${team}&limit=3&sort=-createdAt${cursor ? `&cursor=${cursor}` : ''}`;
      const page: { status: number; body: any } = await desk.request(admin, 'GET', url);
      expect(page.status).toBe(200);
      seen.push(...page.body.data.map((t: { id: string }) => t.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(7);
    expect(new Set(seen)).toEqual(new Set(made));
    expect(seen).toEqual([...made].reverse());

    const chats = await desk.request(admin, 'GET', `/api/v1/tickets?teamId=${team}&channel=chat`);
    expect(chats.body.data).toHaveLength(3);
    const vip = await desk.request(admin, 'GET', `/api/v1/tickets?teamId=${team}&tag=vip`);
    expect(vip.body.data).toHaveLength(3);
    const byNumber = await desk.request(admin, 'GET', `/api/v1/tickets?teamId=${team}&sort=number`);
    const numbers = byNumber.body.data.map((t: { number: number }) => t.number);
    expect(numbers).toEqual([...numbers].sort((a: number, b: number) => a - b));
    const misspelt = await desk.request(admin, 'GET', `/api/v1/tickets?stauts=open`);
    expect(misspelt.status).toBe(400);
    expect(misspelt.body.error).toMatchObject({ code: 'invalid_request', field: 'stauts' });
    expect((await desk.request(admin, 'GET', `/api/v1/customers?organisationId=${team}`)).body.error).toMatchObject({ code: 'invalid_request', field: 'organisationId' });
    // A bad value in a comma list names the parameter, as sent.
    for (const [name, value] of [['status', 'open,bogus'], ['priority', 'urgent,x'], ['channel', 'fax']]) {
      const bad = await desk.request(admin, 'GET', `/api/v1/tickets?${name}=${value}`);
      expect(bad.body.error, name).toMatchObject({ code: 'invalid_request', field: name });
      expect(bad.body.error.issues[0]).toMatchObject({ in: 'querystring', field: name });
    }
    const badCursor = await desk.request(admin, 'GET', `/api/v1/tickets?cursor=garbage`);
    expect(badCursor.status).toBe(400);
    expect(badCursor.body.error.code).toBe('invalid_cursor');
    // Well-formed cursors holding what the SQL cast would choke on, and a cursor of another order.
    const zero = '00000000-0000-4000-8000-000000000000';
    const forged = (parts: unknown[]) => Buffer.from(JSON.stringify(parts)).toString('base64url');
    const byPriority = await desk.request(admin, 'GET', `/api/v1/tickets?teamId=${team}&sort=-priority&limit=1`);
    for (const [sort, cursor] of [
      ['-updatedAt', forged(['-updatedAt', 'garbage', zero])],
      ['-updatedAt', forged(['-updatedAt', '2026-13-45 10:00:00+00', zero])],
      ['-updatedAt', forged(['-updatedAt', '2026-11-30 12:00:00+99', zero])],
      ['-updatedAt', forged(['-updatedAt', '2026-11-30 12:00:00+05:99', zero])],
      ['-updatedAt', forged(['-updatedAt', '2026-11-30 25:00:00+00', zero])],
      ['-updatedAt', forged(['-updatedAt', '2026-01-01 10:00:00+00', '-'.repeat(36)])],
      ['number', forged(['number', '9'.repeat(40), zero])],
      ['priority', forged(['priority', 'whenever', zero])],
      ['-updatedAt', forged(['-updatedAt', { a: 1 }, zero])],
      ['number', byPriority.body.nextCursor],
    ]) {
      const res = await desk.request(admin, 'GET', `/api/v1/tickets?sort=${sort}&cursor=${cursor}`);
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'invalid_cursor', field: 'cursor' });
    }
    const customersCursor = (await desk.request(admin, 'GET', '/api/v1/customers?limit=1')).body.nextCursor;
    expect((await desk.request(admin, 'GET', `/api/v1/tickets?cursor=${customersCursor}`)).body.error.code).toBe('invalid_cursor');
    expect((await desk.request(admin, 'GET', `/api/v1/customers?cursor=${forged(['customers', 'soon', zero])}`)).body.error.code).toBe('invalid_cursor');
    const badSort = await desk.request(admin, 'GET', `/api/v1/tickets?sort=subject`);
    expect(badSort.status).toBe(400);
    expect(badSort.body.error.field).toBe('sort');
  });
});

describe('tags', () => {
  it('are one tag whatever their case: kept in lower case, found and matched by SLA policies in any case', async () => {
    const made = await desk.request(admin, 'POST', '/api/v1/tickets', { subject: 'Tagged', channel: 'api', requester: { email: 'tags@example.com' }, body: 'x', tags: ['VIP', 'vip', ' Vip ', 'Billing'] });
    expect(made.status).toBe(201);
    expect(made.body.tags).toEqual(['vip', 'billing']);
    const changed = await desk.request(admin, 'PATCH', `/api/v1/tickets/${made.body.id}`, { tags: ['VIP', 'Outage'] });
    expect(changed.body.tags).toEqual(['vip', 'outage']);
    for (const tag of ['vip', 'VIP', 'Outage']) {
      const found = await desk.request(admin, 'GET', `/api/v1/tickets?tag=${tag}&requesterId=${made.body.requester.id}`);
      expect(found.body.data.map((t: { id: string }) => t.id), tag).toEqual([made.body.id]);
    }
    const policy = await desk.request(admin, 'POST', '/api/v1/sla/policies', { name: 'Key accounts', position: 0, conditions: { tags: ['Key-Account'] }, targets: [{ metric: 'resolution', seconds: 4321 }] });
    expect(policy.status).toBe(201);
    expect(policy.body.conditions.tags).toEqual(['key-account']);
    const key = await desk.request(admin, 'POST', '/api/v1/tickets', { subject: 'Key', channel: 'api', requester: { email: 'tags@example.com' }, body: 'x', tags: ['KEY-ACCOUNT'] });
    expect(key.body.sla.map((t: { targetSeconds: number }) => t.targetSeconds)).toContain(4321);
    await desk.request(admin, 'DELETE', `/api/v1/sla/policies/${policy.body.id}`);
  });
});

describe('the answer to a create', () => {
  it('is the ticket exactly as reading it back shows it, for staff and for the customer who asked', async () => {
    const team = await desk.team('Answer team', 2);
    const agent = await desk.as('agent', { teamIds: [team] });
    const asked = await desk.request(admin, 'POST', '/api/v1/tickets', {
      subject: 'Invoice shows the wrong address',
      channel: 'phone',
      requester: { email: `answer-${Date.now()}@example.com`, name: 'Leila Ahmadi' },
      body: 'The March invoice still has the old street.',
      teamId: team,
      assigneeId: agent.id,
      tags: ['billing', 'billing', 'invoice'],
      category: 'billing',
      attachments: [{ filename: 'invoice.txt', contentType: 'text/plain', contentBase64: Buffer.from('old street').toString('base64') }],
    });
    expect(asked.status).toBe(201);
    expect(asked.body).toMatchObject({ status: 'open', tags: ['billing', 'invoice'], team: { id: team }, assignee: { id: agent.id } });
    expect(asked.body.sla.length).toBeGreaterThan(0);
    expect(asked.body.messages[0].attachments).toHaveLength(1);
    const read = await desk.request(admin, 'GET', `/api/v1/tickets/${asked.body.id}`);
    expect(asked.body).toEqual(read.body);

    // A second ticket for the same requester (now known): the same holds, and the history has both.
    const again = await desk.request(agent, 'POST', '/api/v1/tickets', {
      subject: 'And the April one too',
      channel: 'email',
      requester: { email: asked.body.requester.email },
      body: 'Same problem.',
      teamId: team,
    });
    expect(again.status).toBe(201);
    expect(again.body.requester.id).toBe(asked.body.requester.id);
    expect(again.body).toEqual((await desk.request(agent, 'GET', `/api/v1/tickets/${again.body.id}`)).body);
    const timeline = await desk.request(admin, 'GET', `/api/v1/tickets/${again.body.id}/timeline`);
    expect(timeline.body.data[0]).toMatchObject({ type: 'ticket.created', data: { number: again.body.number, channel: 'email' } });
  });
});

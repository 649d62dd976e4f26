import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDesk, type Account, type TestDesk } from '../../../test/harness.js';

let desk: TestDesk;
let admin: Account;

beforeAll(async () => {
  desk = await startDesk();
  admin = await desk.as('admin');
});
afterAll(async () => desk?.close());

describe('customers and organizations', () => {
  it('keeps profiles with emails, phones, language, time zone and kind', async () => {
    const org = await desk.request(admin, 'POST', '/api/v1/organizations', { name: 'Modber', domains: ['modber.ru'] });
    expect(org.status).toBe(201);
    const employee = await desk.request(admin, 'POST', '/api/v1/customers', {
      name: 'Ольга Петрова',
      emails: ['Olga@Modber.ru'],
      phones: ['+7 495 000 00 00'],
      kind: 'internal',
      department: 'Бухгалтерия',
      organizationId: org.body.id,
      language: 'ru',
      timeZone: 'Europe/Moscow',
    });
    expect(employee.status).toBe(201);
    expect(employee.body).toMatchObject({ emails: ['olga@modber.ru'], kind: 'internal', department: 'Бухгалтерия', language: 'ru', organization: { id: org.body.id, name: 'Modber' } });

    // A new address at the organization's domain joins it.
    const t = await desk.request(admin, 'POST', '/api/v1/tickets', { subject: 'Счёт', channel: 'email', requester: { email: 'ivan@modber.ru' }, body: 'x' });
    const ivan = await desk.request(admin, 'GET', `/api/v1/customers/${t.body.requester.id}`);
    expect(ivan.body.organization?.id).toBe(org.body.id);

    const taken = await desk.request(admin, 'POST', '/api/v1/customers', { name: 'Someone', emails: ['olga@modber.ru'] });
    expect(taken.status).toBe(409);
    expect(taken.body.error.code).toBe('email_taken');

    const changed = await desk.request(admin, 'PATCH', `/api/v1/customers/${employee.body.id}`, { emails: ['olga.p@modber.ru'], language: 'en' });
    expect(changed.status).toBe(200);
    expect(changed.body.emails).toEqual(['olga.p@modber.ru']);
    const badZone = await desk.request(admin, 'PATCH', `/api/v1/customers/${employee.body.id}`, { timeZone: 'Mars/Olympus' });
    expect(badZone.status).toBe(400);
    expect(badZone.body.error.field).toBe('timeZone');

    const found = await desk.request(admin, 'GET', `/api/v1/customers?q=${encodeURIComponent('Петрова')}`);
    expect(found.body.data.map((c: { id: string }) => c.id)).toEqual([employee.body.id]);
  });

  it('finds a customer by a phone number however it is written (caller ID, spaces, dashes, Persian digits)', async () => {
    const caller = await desk.request(admin, 'POST', '/api/v1/customers', { name: 'Karim Said', phones: ['+971 50 123-4567'] });
    const persian = await desk.request(admin, 'POST', '/api/v1/customers', { name: 'Reza Tehrani', phones: ['۰۹۱۲ ۳۴۵ ۶۷۸۹'] });
    expect(caller.status).toBe(201);
    expect(persian.status).toBe(201);
    const ids = async (q: string) => (await desk.request(admin, 'GET', `/api/v1/customers?q=${encodeURIComponent(q)}`)).body.data.map((c: { id: string }) => c.id);
    for (const q of ['+971501234567', '971 50 123 4567', '(50) 123-4567', '٥٠ ١٢٣']) expect(await ids(q), q).toEqual([caller.body.id]);
    for (const q of ['09123456789', '0912-345-6789']) expect(await ids(q), q).toEqual([persian.body.id]);
    // A number no phone holds finds no one; a word still matches names only.
    expect(await ids('+44 20 7946 0000')).toEqual([]);
    expect(await ids('Karim')).toEqual([caller.body.id]);
  });

  it('finds a name however its letters were typed: Persian or Arabic yeh and kaf, ё or е, any case', async () => {
    const persian = await desk.request(admin, 'POST', '/api/v1/customers', { name: 'علی کریمی' }); // Persian ی and ک
    const russian = await desk.request(admin, 'POST', '/api/v1/customers', { name: 'Пётр Фёдоров' });
    const ids = async (q: string) => (await desk.request(admin, 'GET', `/api/v1/customers?q=${encodeURIComponent(q)}`)).body.data.map((c: { id: string }) => c.id);
    for (const q of ['علي كريمي', 'كريمي', 'علی']) expect(await ids(q), q).toEqual([persian.body.id]);
    for (const q of ['федоров', 'ФЁДОРОВ', 'Петр Федоров', 'пётр ф']) expect(await ids(q), q).toEqual([russian.body.id]);
    expect(await ids('50%')).toEqual([]);
  });

  it('gives a domain to one organization: another claiming it answers 409 domain_taken', async () => {
    const first = await desk.request(admin, 'POST', '/api/v1/organizations', { name: 'Pars Bank', domains: ['parsbank.ir'] });
    expect(first.status).toBe(201);
    const again = await desk.request(admin, 'POST', '/api/v1/organizations', { name: 'Pars Bank Branch', domains: ['branch.ir', 'ParsBank.ir'] });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'domain_taken', field: 'domains' });
    const other = await desk.request(admin, 'POST', '/api/v1/organizations', { name: 'Other Bank', domains: ['otherbank.ir'] });
    expect(other.status).toBe(201);
    const moved = await desk.request(admin, 'PATCH', `/api/v1/organizations/${other.body.id}`, { domains: ['otherbank.ir', 'parsbank.ir'] });
    expect(moved.status).toBe(409);
    expect(moved.body.error.code).toBe('domain_taken');
    // Its own domains again are fine.
    expect((await desk.request(admin, 'PATCH', `/api/v1/organizations/${first.body.id}`, { domains: ['parsbank.ir', 'pb.ir'] })).status).toBe(200);
    const t = await desk.request(admin, 'POST', '/api/v1/tickets', { subject: 'Card', channel: 'email', requester: { email: 'sara@parsbank.ir' }, body: 'x' });
    expect((await desk.request(admin, 'GET', `/api/v1/customers/${t.body.requester.id}`)).body.organization?.id).toBe(first.body.id);
  });

  it('ten requests claiming one new address at once: one customer, the others a 409, no 500', async () => {
    const email = `race-${Date.now()}@example.com`;
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => desk.request(admin, 'POST', '/api/v1/customers', { name: `Racer ${i}`, emails: [email] })));
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(9);
    for (const a of answers.filter((x) => x.status === 409)) expect(['email_taken', 'already_exists']).toContain(a.body.error.code);
  });

  it('shows the side panel: previous tickets, last problem and whether it was solved', async () => {
    const email = 'returning@example.com';
    const first = await desk.request(admin, 'POST', '/api/v1/tickets', { subject: 'Old issue', channel: 'email', requester: { email }, body: 'a' });
    await desk.request(admin, 'PATCH', `/api/v1/tickets/${first.body.id}`, { status: 'solved' });
    const second = await desk.request(admin, 'POST', '/api/v1/tickets', { subject: 'New issue', channel: 'chat', requester: { email }, body: 'b' });
    const context = await desk.request(admin, 'GET', `/api/v1/customers/${second.body.requester.id}/context`);
    expect(context.status).toBe(200);
    expect(context.body.ticketCount).toBe(2);
    expect(context.body.openCount).toBe(1);
    expect(context.body.lastProblem).toMatchObject({ subject: 'New issue', solved: false });
    expect(context.body.tickets.map((t: { subject: string; solved: boolean }) => [t.subject, t.solved])).toEqual([
      ['New issue', false],
      ['Old issue', true],
    ]);
    expect(context.body.recentEvents.some((e: { type: string }) => e.type === 'ticket.status_changed')).toBe(true);

    // An agent's panel counts only what the agent may open: here the one ticket assigned to them.
    const agent = await desk.as('agent');
    await desk.request(admin, 'PATCH', `/api/v1/tickets/${second.body.id}`, { assigneeId: agent.id });
    const theirs = await desk.request(agent, 'GET', `/api/v1/customers/${second.body.requester.id}/context`);
    expect(theirs.body).toMatchObject({ ticketCount: 1, openCount: 1, lastProblem: { subject: 'New issue' } });
    expect(theirs.body.tickets).toHaveLength(1);
  });
});

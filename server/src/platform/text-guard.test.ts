import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDesk, type Account, type TestDesk } from '../../test/harness.js';

let desk: TestDesk;
let admin: Account;

beforeAll(async () => {
  desk = await startDesk();
  admin = await desk.as('admin');
});
afterAll(async () => desk?.close());

const ticket = (fields: Record<string, unknown>) =>
  desk.request(admin, 'POST', '/api/v1/tickets', { subject: 'Printer', channel: 'phone', requester: { email: 'nul@example.com' }, body: 'It jams', ...fields });

describe('text the database cannot hold', () => {
  it('is refused with 400 invalid_text naming the field, wherever it comes in', async () => {
    const cases = [
      { res: await desk.request(null, 'POST', '/api/v1/auth/login', { email: 'a\u0000@b.co', password: 'x' }), field: 'email' },
      { res: await desk.request(admin, 'GET', '/api/v1/tickets?q=%00'), field: 'q' },
      { res: await desk.request(admin, 'GET', '/api/v1/customers?q=a%00b'), field: 'q' },
      { res: await ticket({ body: 'before\u0000after' }), field: 'body' },
      { res: await ticket({ tags: ['ok', '\ud800'] }), field: 'tags.1' },
      { res: await ticket({ requester: { email: 'x@example.com', name: 'tail \udc00' } }), field: 'requester.name' },
      { res: await desk.request(admin, 'POST', '/api/v1/customers', { name: 'x', phones: ['12\u00003'] }), field: 'phones.0' },
    ];
    for (const { res, field } of cases) {
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'invalid_text', field });
    }
    expect(cases[4].res.body.error.message).toBe('tags.1: is not valid Unicode (an unpaired surrogate)');
    expect(cases[0].res.body.error.message).toBe('email: contains a NUL character');
    // Every answer, refusals included, forbids type sniffing and framing.
    expect(cases[0].res.headers).toMatchObject({ 'x-content-type-options': 'nosniff', 'x-frame-options': 'DENY', 'referrer-policy': 'same-origin' });
  });

  it('lets whole characters outside the basic plane through (surrogate pairs)', async () => {
    const made = await ticket({ subject: 'الطابعة لا تعمل 🖨️', tags: ['😀'] });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ subject: 'الطابعة لا تعمل 🖨️', tags: ['😀'] });
  });
});

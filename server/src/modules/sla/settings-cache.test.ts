import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbKind, startDesk, type Account, type TestDesk } from '../../../test/harness.js';
import { newTicket, targetOf } from '../../../test/promises.js';

/** Tries until `check` holds or five seconds pass: a change notice between nodes takes a moment. */
async function eventually(check: () => Promise<boolean>) {
  for (const until = Date.now() + 5000; Date.now() < until; ) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

describe(`settings kept in memory follow every change (${dbKind})`, () => {
  let a: TestDesk;
  let b: TestDesk;
  let adminA: Account;
  let adminB: Account;

  beforeAll(async () => {
    a = await startDesk();
    adminA = await a.as('admin');
    // On PostgreSQL a second app node on the same database; PGlite has one node.
    b = dbKind === 'postgres' ? await startDesk({ databaseUrl: a.databaseUrl }) : a;
    adminB = b === a ? adminA : await b.as('admin');
  });
  afterAll(async () => {
    if (b !== a) await b?.close();
    await a?.close();
  });

  it('a policy and a team tier changed on one node apply on every node', async () => {
    const team = (await a.request(adminA, 'POST', '/api/v1/teams', { name: `Cache desk ${Date.now()}` })).body;
    // Both nodes have read the settings once (and keep them).
    expect(targetOf(await newTicket(b, adminB, { channel: 'phone', teamId: team.id }), 'answer')?.targetSeconds).toBe(30);
    expect(targetOf(await newTicket(a, adminA, { channel: 'phone', teamId: team.id }), 'answer')?.targetSeconds).toBe(30);

    const policy = await a.request(adminA, 'POST', '/api/v1/sla/policies', {
      name: 'Cache desk phones',
      position: 1,
      conditions: { channels: ['phone'], teamIds: [team.id] },
      targets: [
        { metric: 'answer', seconds: 90, businessHours: false },
        { metric: 'tier2', seconds: 3600, businessHours: false },
      ],
    });
    expect(policy.status).toBe(201);
    // The node that made the change uses it at once.
    expect(targetOf(await newTicket(a, adminA, { channel: 'phone', teamId: team.id }), 'answer')?.targetSeconds).toBe(90);
    // The other node, as soon as the change notice arrives (it would otherwise keep the old policy for a minute).
    expect(await eventually(async () => targetOf(await newTicket(b, adminB, { channel: 'phone', teamId: team.id }), 'answer')?.targetSeconds === 90)).toBe(true);

    // A team made level 2 starts the internal level-2 clock on new tickets.
    await a.request(adminA, 'PATCH', `/api/v1/teams/${team.id}`, { tier: 2 });
    expect(await eventually(async () => !!targetOf(await newTicket(b, adminB, { channel: 'phone', teamId: team.id }), 'tier2'))).toBe(true);

    await a.request(adminA, 'DELETE', `/api/v1/sla/policies/${policy.body.id}`);
    expect(await eventually(async () => targetOf(await newTicket(b, adminB, { channel: 'phone', teamId: team.id }), 'answer')?.targetSeconds === 30)).toBe(true);
  });
});

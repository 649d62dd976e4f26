import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDesk, type Account, type TestDesk } from '../../../test/harness.js';
import { portalCustomer, type CustomerAccount } from '../../../test/portal-customer.js';

/** Who calls: each staff role, an agent inside and outside the ticket's team, the ticket's customer, and nobody. */
const callers = ['admin', 'manager', 'supervisor', 'dispatcher', 'analyst', 'agentIn', 'agentOut', 'customer', 'anonymous'] as const;
type Caller = (typeof callers)[number];
/** A status, or a status and the error code it must carry. */
type Cell = number | `${number} ${string}`;

let desk: TestDesk;
let admin: Account;
let teamId: string;
let otherTeamId: string;
let customer: CustomerAccount;
let otherCustomerId: string;
const as = {} as Record<Caller, Account | null>;

beforeAll(async () => {
  desk = await startDesk();
  admin = await desk.as('admin');
  teamId = await desk.team('Billing');
  otherTeamId = await desk.team('Hardware');
  for (const role of ['admin', 'manager', 'supervisor', 'dispatcher', 'analyst'] as const) as[role] = await desk.as(role);
  as.agentIn = await desk.as('agent', { teamIds: [teamId] });
  as.agentOut = await desk.as('agent', { teamIds: [otherTeamId] });
  customer = await portalCustomer(desk, admin, 'Leila Karimi');
  as.customer = customer;
  as.anonymous = null;
  const other = await desk.request(admin, 'POST', '/api/v1/customers', { name: 'Oleg Petrov', emails: ['oleg@example.ru'] });
  otherCustomerId = other.body.id;
});
afterAll(async () => desk?.close());

let seq = 0;
const unique = (prefix: string) => `${prefix}-${++seq}-${crypto.randomBytes(2).toString('hex')}`;

/** A ticket of the Billing team raised by the portal customer: in scope for everyone but the outside agent. */
async function teamTicket(subject = 'Invoice charged twice'): Promise<string> {
  const res = await desk.request(admin, 'POST', '/api/v1/tickets', {
    subject,
    channel: 'email',
    requesterId: customer.customerId,
    teamId,
    body: 'My card was charged twice for the same invoice.',
  });
  expect(res.status).toBe(201);
  return res.body.id;
}

/** A ticket of another customer, with no team and no assignee. */
async function foreignTicket(): Promise<string> {
  const res = await desk.request(admin, 'POST', '/api/v1/tickets', {
    subject: 'Printer on floor 3 jams',
    channel: 'phone',
    requesterId: otherCustomerId,
    body: 'The printer jams on every page.',
  });
  expect(res.status).toBe(201);
  return res.body.id;
}

/** Adds a file to a ticket, on a public reply or an internal note, and answers its download address. */
async function fileOn(ticketId: string, internal = false): Promise<string> {
  const file = { filename: 'receipt.txt', contentType: 'text/plain', contentBase64: Buffer.from('card ending 4242').toString('base64') };
  const res = await desk.request(admin, 'POST', `/api/v1/tickets/${ticketId}/messages`, { body: 'The receipt.', internal, attachments: [file] });
  expect(res.status).toBe(201);
  return res.body.message.attachments[0].url;
}

/** Staff name where the ticket goes and what was tried; a customer only asks, with a reason. */
const escalation = (who: Caller) =>
  who === 'customer'
    ? { reason: 'Nobody has answered for two days.' }
    : { to: 'supervisor', reason: 'Refund over my limit.', summary: { tried: 'Checked the gateway log.', customerAnswers: 'Card ends in 4242.' } };

async function escalatedTicket(): Promise<string> {
  const id = await teamTicket();
  expect((await desk.request(admin, 'POST', `/api/v1/tickets/${id}/escalations`, escalation('admin'))).status).toBe(201);
  return id;
}

const tomorrow = () => new Date(Date.now() + 86_400_000).toISOString();

type Call = (a: Account | null, who: Caller) => Promise<{ status: number; body: any }>;
const call = (method: string, url: string, body?: unknown) => (a: Account | null) => desk.request(a, method, url, body);

const actions: Record<string, Call> = {
  'list tickets': call('GET', '/api/v1/tickets'),
  'read a ticket in scope': async (a) => desk.request(a, 'GET', `/api/v1/tickets/${await teamTicket()}`),
  'read a ticket out of scope': async (a) => desk.request(a, 'GET', `/api/v1/tickets/${await foreignTicket()}`),
  'create a ticket': (a, who) =>
    desk.request(a, 'POST', '/api/v1/tickets', {
      subject: 'Refund request',
      channel: who === 'customer' ? 'portal' : 'phone',
      body: 'Please refund the second charge.',
      ...(who === 'customer' ? {} : { requesterId: customer.customerId }),
    }),
  reply: async (a) => desk.request(a, 'POST', `/api/v1/tickets/${await teamTicket()}/messages`, { body: 'We are on it.' }),
  'internal note': async (a) => desk.request(a, 'POST', `/api/v1/tickets/${await teamTicket()}/messages`, { body: 'Check the gateway log.', internal: true }),
  'change status': async (a) => desk.request(a, 'PATCH', `/api/v1/tickets/${await teamTicket()}`, { status: 'pending' }),
  'change category and tags': async (a) =>
    desk.request(a, 'PATCH', `/api/v1/tickets/${await teamTicket()}`, { category: 'billing', tags: ['double-charge'] }),
  'change category with a note': async (a) =>
    desk.request(a, 'PATCH', `/api/v1/tickets/${await teamTicket()}`, { category: 'billing', note: 'Classified after the call.' }),
  assign: async (a) => desk.request(a, 'PATCH', `/api/v1/tickets/${await teamTicket()}`, { assigneeId: as.agentIn!.id }),
  'read timeline': async (a) => desk.request(a, 'GET', `/api/v1/tickets/${await teamTicket()}/timeline`),
  merge: async (a) => {
    const [source, target] = [await teamTicket(), await teamTicket()];
    return desk.request(a, 'POST', `/api/v1/tickets/${source}/merge`, { targetId: target });
  },
  'download a file in scope': async (a) => desk.request(a, 'GET', await fileOn(await teamTicket())),
  'download a file out of scope': async (a) => desk.request(a, 'GET', await fileOn(await foreignTicket())),
  'download a file of an internal note': async (a) => desk.request(a, 'GET', await fileOn(await teamTicket(), true)),
  escalate: async (a, who) => desk.request(a, 'POST', `/api/v1/tickets/${await teamTicket()}/escalations`, escalation(who)),
  'escalate a ticket out of scope': async (a, who) => desk.request(a, 'POST', `/api/v1/tickets/${await foreignTicket()}/escalations`, escalation(who)),
  'list escalations': async (a) => desk.request(a, 'GET', `/api/v1/tickets/${await escalatedTicket()}/escalations`),
  'promise a follow-up': async (a) =>
    desk.request(a, 'POST', `/api/v1/tickets/${await teamTicket()}/follow-ups`, { dueAt: tomorrow(), note: 'Call back after the bank answers.' }),
  'list follow-up promises': async (a) => {
    const id = await teamTicket();
    expect((await desk.request(admin, 'POST', `/api/v1/tickets/${id}/follow-ups`, { dueAt: tomorrow(), note: 'Call back.' })).status).toBe(201);
    return desk.request(a, 'GET', `/api/v1/tickets/${id}/follow-ups`);
  },
  'read customers': call('GET', '/api/v1/customers'),
  'create a customer': (a) => desk.request(a, 'POST', '/api/v1/customers', { name: 'Amina Haddad', emails: [`${unique('amina')}@example.com`] }),
  'list staff': call('GET', '/api/v1/staff'),
  'create an agent': (a) =>
    desk.request(a, 'POST', '/api/v1/staff', { email: `${unique('agent')}@desk.test`, name: 'New Agent', role: 'agent', password: 'a long enough password' }),
  'create an admin': (a) =>
    desk.request(a, 'POST', '/api/v1/staff', { email: `${unique('admin')}@desk.test`, name: 'New Admin', role: 'admin', password: 'a long enough password' }),
  'manage teams': (a) => desk.request(a, 'POST', '/api/v1/teams', { name: unique('Team') }),
  'list jobs': call('GET', '/api/v1/jobs'),
  'list webhooks': call('GET', '/api/v1/webhooks'),
  'create a webhook': (a) => desk.request(a, 'POST', '/api/v1/webhooks', { url: 'https://hooks.example.com/frontline', events: ['ticket.created'] }),
};

const F = '403 forbidden';
const FF = '403 forbidden_field';
const NF = '404 not_found';
const UN = '401 unauthenticated';

// prettier-ignore
const matrix: Record<keyof typeof actions, Cell[]> = {
  //                              admin manager super dispat analyst agentIn agentOut customer anonymous
  'list tickets':                 [200,  200,    200,   200,   200,    200,    200,     200,     UN],
  'read a ticket in scope':       [200,  200,    200,   200,   200,    200,    NF,      200,     UN],
  'read a ticket out of scope':   [200,  200,    200,   200,   200,    NF,     NF,      NF,      UN],
  'create a ticket':              [201,  201,    201,   201,   F,      201,    201,     201,     UN],
  reply:                          [201,  201,    201,   201,   F,      201,    NF,      201,     UN],
  'internal note':                [201,  201,    201,   201,   F,      201,    NF,      F,       UN],
  'change status':                [200,  200,    200,   200,   FF,     200,    NF,      F,       UN],
  'change category and tags':     [200,  200,    200,   200,   200,    200,    NF,      F,       UN],
  'change category with a note':  [200,  200,    200,   200,   FF,     200,    NF,      F,       UN],
  assign:                         [200,  200,    200,   200,   FF,     200,    NF,      F,       UN],
  'read timeline':                [200,  200,    200,   200,   200,    200,    NF,      F,       UN],
  merge:                          [200,  200,    200,   200,   F,      200,    NF,      F,       UN],
  'download a file in scope':     [200,  200,    200,   200,   200,    200,    NF,      200,     UN],
  'download a file out of scope': [200,  200,    200,   200,   200,    NF,     NF,      NF,      UN],
  'download a file of an internal note': [200, 200, 200, 200,  200,    200,    NF,      NF,      UN],
  escalate:                       [201,  201,    201,   201,   F,      201,    NF,      201,     UN],
  'escalate a ticket out of scope': [201, 201,   201,   201,   F,      NF,     NF,      NF,      UN],
  'list escalations':             [200,  200,    200,   200,   200,    200,    NF,      F,       UN],
  'promise a follow-up':          [201,  201,    201,   201,   F,      201,    NF,      F,       UN],
  'list follow-up promises':      [200,  200,    200,   200,   200,    200,    NF,      F,       UN],
  'read customers':               [200,  200,    200,   200,   200,    200,    200,     F,       UN],
  'create a customer':            [201,  201,    201,   201,   F,      201,    201,     F,       UN],
  'list staff':                   [200,  200,    200,   200,   200,    200,    200,     F,       UN],
  'create an agent':              [201,  201,    F,     F,     F,      F,      F,       F,       UN],
  'create an admin':              [201,  F,      F,     F,     F,      F,      F,       F,       UN],
  'manage teams':                 [201,  201,    F,     F,     F,      F,      F,       F,       UN],
  'list jobs':                    [200,  200,    F,     F,     F,      F,      F,       F,       UN],
  'list webhooks':                [200,  200,    F,     F,     F,      F,      F,       F,       UN],
  'create a webhook':             [201,  201,    F,     F,     F,      F,      F,       F,       UN],
};

const cell = (res: { status: number; body: any }, expected: Cell): Cell =>
  typeof expected === 'number' ? res.status : `${res.status} ${res.body?.error?.code ?? ''}`;

describe('role × action matrix', () => {
  it('covers every action with one expectation per caller', () => {
    expect(Object.keys(matrix).sort()).toEqual(Object.keys(actions).sort());
    for (const row of Object.values(matrix)) expect(row).toHaveLength(callers.length);
  });

  it.each(Object.keys(actions))('%s', async (name) => {
    const expected = matrix[name];
    const got: Record<string, Cell> = {};
    const want: Record<string, Cell> = {};
    for (const [i, who] of callers.entries()) {
      const res = await actions[name](as[who], who);
      got[who] = cell(res, expected[i]);
      want[who] = expected[i];
    }
    expect(got).toEqual(want);
  });
});

describe('row scope', () => {
  const tag = 'scope-check';

  async function listed(a: Account, query = `tag=${tag}&limit=100`): Promise<string[]> {
    const res = await desk.request(a, 'GET', `/api/v1/tickets?${query}`);
    expect(res.status).toBe(200);
    return res.body.data.map((t: { id: string }) => t.id);
  }

  it("gives agents their teams' tickets and their own, and nothing else", async () => {
    const make = async (extra: Record<string, unknown>) => {
      const res = await desk.request(admin, 'POST', '/api/v1/tickets', {
        subject: 'Scope probe',
        channel: 'email',
        requesterId: otherCustomerId,
        body: 'Which agents may read this?',
        tags: [tag],
        ...extra,
      });
      expect(res.status).toBe(201);
      return res.body.id as string;
    };
    const ofTeam = await make({ teamId });
    const ofOtherTeam = await make({ teamId: otherTeamId });
    const assignedOut = await make({ assigneeId: as.agentOut!.id }); // no team: reachable only as the assignee
    const nobodys = await make({});

    const inAgent = as.agentIn!;
    const outAgent = as.agentOut!;
    expect((await listed(inAgent)).sort()).toEqual([ofTeam].sort());
    expect((await listed(outAgent)).sort()).toEqual([ofOtherTeam, assignedOut].sort());
    expect((await desk.request(outAgent, 'GET', `/api/v1/tickets/${assignedOut}`)).status).toBe(200);
    for (const id of [ofOtherTeam, assignedOut, nobodys]) {
      expect((await desk.request(inAgent, 'GET', `/api/v1/tickets/${id}`)).status).toBe(404);
      expect((await desk.request(inAgent, 'GET', `/api/v1/tickets/${id}/timeline`)).status).toBe(404);
    }
    // A search finds nothing outside the scope either.
    expect(await listed(inAgent, `q=${encodeURIComponent('Scope probe')}&limit=100`)).not.toContain(nobodys);

    for (const role of ['admin', 'manager', 'supervisor', 'dispatcher', 'analyst'] as const) {
      expect((await listed(as[role]!)).sort(), role).toEqual([ofTeam, ofOtherTeam, assignedOut, nobodys].sort());
    }
  });

  it("makes an agent's new ticket without team or assignee their own, so they can still see it", async () => {
    const made = await desk.request(as.agentOut, 'POST', '/api/v1/tickets', {
      subject: 'Walk-in: screen flickers',
      channel: 'phone',
      requesterId: otherCustomerId,
      body: 'The screen flickers after the update.',
    });
    expect(made.status).toBe(201);
    expect(made.body.assignee.id).toBe(as.agentOut!.id);
    expect((await desk.request(as.agentOut, 'GET', `/api/v1/tickets/${made.body.id}`)).status).toBe(200);
    // Staff who see everything keep the choice of leaving a ticket unassigned.
    const byDispatcher = await desk.request(as.dispatcher, 'POST', '/api/v1/tickets', {
      subject: 'Walk-in: keyboard',
      channel: 'phone',
      requesterId: otherCustomerId,
      body: 'Two keys are stuck.',
    });
    expect(byDispatcher.body.assignee).toBeNull();
  });

  it('refuses a merge into a ticket the agent cannot see without revealing it exists', async () => {
    const source = await teamTicket();
    const hidden = await foreignTicket();
    const res = await desk.request(as.agentIn, 'POST', `/api/v1/tickets/${source}/merge`, { targetId: hidden });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_target');
    const missing = await desk.request(as.agentIn, 'POST', `/api/v1/tickets/${source}/merge`, { targetId: crypto.randomUUID() });
    expect(missing.body).toEqual(res.body);
  });
});

describe('staff management', () => {
  it('lets only an admin make, change or unmake an admin', async () => {
    const manager = as.manager!;
    const otherAdmin = await desk.as('admin');
    const agent = await desk.as('agent');
    for (const body of [{ password: 'taken over by a manager' }, { active: false }, { role: 'agent' }, { name: 'Renamed' }]) {
      const res = await desk.request(manager, 'PATCH', `/api/v1/staff/${otherAdmin.id}`, body);
      expect(res.status, JSON.stringify(body)).toBe(403);
      expect(res.body.error.code).toBe('forbidden');
    }
    expect((await desk.request(manager, 'PATCH', `/api/v1/staff/${agent.id}`, { role: 'admin' })).status).toBe(403);
    // The admin account is untouched: the old password still signs in.
    expect((await desk.request(null, 'POST', '/api/v1/auth/login', { email: otherAdmin.email, password: otherAdmin.password })).status).toBe(200);
    const promoted = await desk.request(manager, 'PATCH', `/api/v1/staff/${agent.id}`, { role: 'supervisor' });
    expect(promoted.status).toBe(200);
    expect(promoted.body.role).toBe('supervisor');
    const byAdmin = await desk.request(admin, 'PATCH', `/api/v1/staff/${otherAdmin.id}`, { name: 'Second Admin' });
    expect(byAdmin.status).toBe(200);
    expect(byAdmin.body.name).toBe('Second Admin');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectDocumented } from '../../../test/documented.js';
import { startDesk, type Account, type TestDesk } from '../../../test/harness.js';
import { assignmentRule } from './dispatch.responses.js';

describe('assignment rule answers as documented', () => {
  let desk: TestDesk;
  let admin: Account;
  beforeAll(async () => {
    desk = await startDesk();
    admin = await desk.as('admin');
  });
  afterAll(async () => desk?.close());

  it('the defaults of a team without a rule, a rule set, and the rule read back match the schema', async () => {
    const doc = (await desk.request(null, 'GET', '/api/openapi.json')).body;
    const path = doc.paths['/api/v1/teams/{id}/assignment-rule'];
    for (const op of [path.get, path.put]) expect(op.responses['200'].content['application/json'].schema.properties).toHaveProperty('strategy');

    const team = await desk.team('Служба поддержки — Казань');
    const dispatcher = await desk.as('dispatcher');
    const none = await desk.request(dispatcher, 'GET', `/api/v1/teams/${team}/assignment-rule`);
    expect(none.status).toBe(200);
    expectDocumented(assignmentRule, none.body);
    expect(none.body).toEqual({ teamId: team, enabled: false, strategy: 'round_robin', maxOpenPerAgent: 10, lastAssignedUserId: null });

    const set = await desk.request(admin, 'PUT', `/api/v1/teams/${team}/assignment-rule`, { strategy: 'skills', maxOpenPerAgent: 5 });
    expect(set.status).toBe(200);
    expectDocumented(assignmentRule, set.body);
    expect(set.body).toMatchObject({ enabled: true, strategy: 'skills', maxOpenPerAgent: 5 });

    const off = await desk.request(admin, 'PUT', `/api/v1/teams/${team}/assignment-rule`, { enabled: false, strategy: 'least_loaded' });
    expectDocumented(assignmentRule, off.body);
    const read = await desk.request(dispatcher, 'GET', `/api/v1/teams/${team}/assignment-rule`);
    expectDocumented(assignmentRule, read.body);
    expect(read.body).toMatchObject({ enabled: false, strategy: 'least_loaded', maxOpenPerAgent: 10 });
  });
});

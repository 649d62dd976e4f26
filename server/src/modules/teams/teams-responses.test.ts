import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectDocumented } from '../../../test/documented.js';
import { startDesk, type Account, type TestDesk } from '../../../test/harness.js';
import { team, teamList } from './teams.responses.js';

describe('team answers as documented', () => {
  let desk: TestDesk;
  let admin: Account;
  beforeAll(async () => {
    desk = await startDesk();
    admin = await desk.as('admin');
  });
  afterAll(async () => desk?.close());

  it('describes the answers in the OpenAPI document', async () => {
    const doc = (await desk.request(null, 'GET', '/api/openapi.json')).body;
    expect(Object.keys(doc.paths['/api/v1/teams'].get.responses['200'].content['application/json'].schema.properties)).toEqual(['data']);
    expect(doc.paths['/api/v1/teams'].post.responses['201'].content['application/json'].schema.properties).toHaveProperty('members');
    expect(doc.paths['/api/v1/teams/{id}'].patch.responses).toHaveProperty('200');
  });

  it('create, list and change a team match, members included', async () => {
    const agent = await desk.as('agent');
    const supervisor = await desk.as('supervisor');
    const created = await desk.request(admin, 'POST', '/api/v1/teams', {
      name: 'Служба поддержки — Москва',
      description: 'Первая линия для клиентов в России',
      tier: 1,
      timeZone: 'Europe/Moscow',
      memberIds: [agent.id, supervisor.id],
    });
    expect(created.status).toBe(201);
    expectDocumented(team, created.body);
    expect(created.body.members).toHaveLength(2);

    // A team with nothing optional set: no description, tier or members.
    const bare = await desk.request(admin, 'POST', '/api/v1/teams', { name: 'فريق الفوترة' });
    expect(bare.status).toBe(201);
    expectDocumented(team, bare.body);
    expect(bare.body).toMatchObject({ description: null, tier: null, timeZone: 'UTC', members: [] });

    const list = await desk.request(agent, 'GET', '/api/v1/teams');
    expect(list.status).toBe(200);
    expectDocumented(teamList, list.body);
    expect(list.body.data.map((t: { name: string }) => t.name)).toEqual(expect.arrayContaining(['Служба поддержки — Москва', 'فريق الفوترة']));

    const renamed = await desk.request(admin, 'PATCH', `/api/v1/teams/${created.body.id}`, { name: 'Служба поддержки — Санкт-Петербург', tier: 2, memberIds: [agent.id] });
    expect(renamed.status).toBe(200);
    expectDocumented(team, renamed.body);
    expect(renamed.body.members.map((m: { id: string }) => m.id)).toEqual([agent.id]);

    // Only the members replaced: the team's fields are read back unchanged.
    const emptied = await desk.request(admin, 'PATCH', `/api/v1/teams/${created.body.id}`, { memberIds: [] });
    expect(emptied.status).toBe(200);
    expectDocumented(team, emptied.body);
    expect(emptied.body).toMatchObject({ name: 'Служба поддержки — Санкт-Петербург', members: [] });
  });
});

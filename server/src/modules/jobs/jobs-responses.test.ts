import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectDocumented } from '../../../test/documented.js';
import { startDesk, type Account, type TestDesk } from '../../../test/harness.js';
import { onePage, walkPages } from '../../../test/pages.js';
import { enqueue } from '../../platform/jobs/jobs.js';
import { job, jobPage } from './jobs.responses.js';

describe('background job answers as documented', () => {
  let desk: TestDesk;
  let admin: Account;
  beforeAll(async () => {
    desk = await startDesk({
      extraJobs: {
        'test.refuses': async ({ reason }: { reason: string }) => {
          throw new Error(reason);
        },
      },
    });
    admin = await desk.as('admin');
  });
  afterAll(async () => desk?.close());

  it('describes the answers in the OpenAPI document', async () => {
    const doc = (await desk.request(null, 'GET', '/api/openapi.json')).body;
    expect(Object.keys(doc.paths['/api/v1/jobs'].get.responses['200'].content['application/json'].schema.properties)).toEqual(['data', 'nextCursor']);
    expect(doc.paths['/api/v1/jobs/{id}/retry'].post.responses['200'].content['application/json'].schema.properties).toHaveProperty('lastError');
  });

  it('the list, its pages and a retried job match', async () => {
    // A ticket queues real work (webhook dispatch, SLA timers); a refused job ends failed.
    const ticket = await desk.request(admin, 'POST', '/api/v1/tickets', { subject: '订单无法提交', channel: 'email', requester: { email: 'wei.zhang@example.cn' }, body: '点击提交后页面一直在加载。' });
    expect(ticket.status).toBe(201);
    await enqueue(desk.ctx.db, 'test.refuses', { reason: 'Не удалось: сервер недоступен' }, { runAt: desk.ctx.clock.now(), maxAttempts: 1 });
    await desk.runner.runDue();

    const all = await desk.request(admin, 'GET', '/api/v1/jobs');
    expect(all.status).toBe(200);
    expectDocumented(jobPage, all.body);
    expect(all.body.data.length).toBeGreaterThan(1);

    const first = await desk.request(admin, 'GET', '/api/v1/jobs?limit=1');
    expectDocumented(jobPage, first.body);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const next = await desk.request(admin, 'GET', `/api/v1/jobs?limit=1&cursor=${first.body.nextCursor}`);
    expectDocumented(jobPage, next.body);
    expect(next.body.data[0].id).toBeLessThan(first.body.data[0].id);

    const failed = await desk.request(admin, 'GET', '/api/v1/jobs?status=failed&name=test.refuses');
    expectDocumented(jobPage, failed.body);
    expect(failed.body.data).toEqual([expect.objectContaining({ status: 'failed', attempts: 1, lastError: 'Не удалось: сервер недоступен', payload: { reason: 'Не удалось: сервер недоступен' } })]);
    expect(failed.body.data[0].finishedAt).toEqual(expect.any(String));

    const retried = await desk.request(admin, 'POST', `/api/v1/jobs/${failed.body.data[0].id}/retry`);
    expect(retried.status).toBe(200);
    expectDocumented(job, retried.body);
    expect(retried.body).toMatchObject({ status: 'pending', attempts: 0, lastError: null, finishedAt: null });
  });

  it('pages newest first with an opaque cursor: every job once, jobs made in one instant included', async () => {
    const at = desk.ctx.clock.now();
    for (let i = 0; i < 7; i++) await enqueue(desk.ctx.db, 'test.paged', { n: i }, { runAt: new Date(at.getTime() + 86_400_000) });
    await desk.ctx.db.execute(sql`update jobs set created_at = ${at.toISOString()}::timestamptz where name = 'test.paged'`);
    const all = await onePage<{ id: number }>(desk, admin, '/api/v1/jobs?name=test.paged');
    expect(all).toHaveLength(7);
    for (const limit of [1, 2, 3]) expect((await walkPages<{ id: number }>(desk, admin, '/api/v1/jobs?name=test.paged', limit)).map((j) => j.id)).toEqual(all.map((j) => j.id));
    // Filters hold on every page.
    const pending = await walkPages<{ status: string }>(desk, admin, '/api/v1/jobs?status=pending', 2);
    expect(pending.length).toBeGreaterThanOrEqual(7);
    expect(pending.every((j) => j.status === 'pending')).toBe(true);

    // The cursor is opaque: a bare id, the old `before`, or nonsense is refused.
    for (const query of ['cursor=nonsense', `cursor=${all[1].id}`, `before=${all[1].id}`]) {
      const bad = await desk.request(admin, 'GET', `/api/v1/jobs?${query}`);
      expect(bad.status, query).toBe(400);
      expect(bad.body.error.field, query).toBe(query.split('=')[0]);
    }
    expect((await desk.request(admin, 'GET', '/api/v1/jobs?cursor=nonsense')).body.error.code).toBe('invalid_cursor');
  });
});

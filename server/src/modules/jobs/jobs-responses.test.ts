import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectDocumented } from '../../../test/documented.js';
import { startDesk, type Account, type TestDesk } from '../../../test/harness.js';
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
    const next = await desk.request(admin, 'GET', `/api/v1/jobs?limit=1&before=${first.body.nextCursor}`);
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
});

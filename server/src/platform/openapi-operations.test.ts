import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDesk, type TestDesk } from '../../test/harness.js';
import { operationIdOf } from './openapi.js';

let desk: TestDesk;
beforeAll(async () => {
  desk = await startDesk();
});
afterAll(async () => desk?.close());

const methods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

describe('OpenAPI operation ids', () => {
  it('gives every operation in /api/openapi.json an id, and no two the same', async () => {
    const res = await desk.request(null, 'GET', '/api/openapi.json');
    expect(res.status).toBe(200);
    const operations = Object.entries(res.body.paths as Record<string, Record<string, { operationId?: string }>>).flatMap(([path, item]) =>
      Object.entries(item)
        .filter(([method]) => methods.includes(method))
        .map(([method, op]) => ({ at: `${method.toUpperCase()} ${path}`, id: op.operationId })),
    );
    // The whole API, not a handful: an empty document would pass the checks below.
    expect(operations.length).toBeGreaterThan(50);
    expect(operations.filter((o) => !o.id).map((o) => o.at)).toEqual([]);
    const ids = operations.map((o) => o.id!);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
    expect(ids.every((id) => /^[a-z][A-Za-z0-9]*$/.test(id))).toBe(true);
    const byPath = Object.fromEntries(operations.map((o) => [o.at, o.id]));
    expect(byPath['GET /api/v1/organizations']).toBe('getOrganizations');
    expect(byPath['PATCH /api/v1/staff/{id}']).toBe('patchStaffById');
  });

  it('derives an id from the method and the path', () => {
    expect(operationIdOf('GET', '/api/v1/tickets/:id/messages')).toBe('getTicketsByIdMessages');
    expect(operationIdOf('POST', '/api/v1/auth/login')).toBe('postAuthLogin');
    expect(operationIdOf('DELETE', '/api/v1/sla-policies/{policyId}')).toBe('deleteSlaPoliciesByPolicyId');
    expect(operationIdOf('GET', '/api/v1')).toBe('get');
  });
});

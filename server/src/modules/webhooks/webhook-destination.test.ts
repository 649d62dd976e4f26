import http from 'node:http';
import { sql } from 'drizzle-orm';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDesk, type Account, type TestDesk } from '../../../test/harness.js';
import { drainJobs, newTicket } from '../../../test/promises.js';
import { isInternalAddress } from './destination.js';
import { postJson } from './post.js';

let desk: TestDesk;
let admin: Account;
let hits = 0;
const paths: string[] = [];
const receiver = http.createServer((req, res) => {
  hits++;
  paths.push(req.url ?? '');
  req.resume();
  if (req.url === '/moved') res.writeHead(302, { location: '/inside' });
  // Headers at once, then a byte now and then: never silent long enough for an idle timeout.
  if (req.url === '/drip') {
    res.writeHead(200);
    const drip = setInterval(() => res.write('.'), 50);
    res.on('close', () => clearInterval(drip));
    return;
  }
  res.end('ok');
});

beforeAll(async () => {
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  desk = await startDesk(); // internal destinations refused, as on a fresh install
  admin = await desk.as('admin');
});
afterAll(async () => {
  await desk?.close();
  receiver.close();
});

describe('webhook destinations', () => {
  it('refuses loopback, private, link-local and mapped addresses by default, naming the setting', async () => {
    const port = (receiver.address() as AddressInfo).port;
    for (const url of [`http://127.0.0.1:${port}/hook`, 'http://169.254.169.254/latest/meta-data', 'http://10.1.2.3/x', 'http://[::1]/x', 'http://[::ffff:192.168.1.5]/x', 'http://localhost/x']) {
      const res = await desk.request(admin, 'POST', '/api/v1/webhooks', { url });
      expect(res.status, url).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'internal_destination', field: 'url' });
      expect(res.body.error.message).toContain('FRONTLINE_WEBHOOKS_ALLOW_INTERNAL');
    }
    expect(hits).toBe(0);
  });

  it('a hook stored before the rule (or whose name now points inside) is not sent, and the failure is visible', async () => {
    const port = (receiver.address() as AddressInfo).port;
    // Written straight to the table, as an older desk or a DNS change would leave it.
    await desk.ctx.db.execute(sql`insert into webhooks (url, events, secret) values (${`http://127.0.0.1:${port}/old`}, '{}', 'whsec_test')`);
    await newTicket(desk, admin);
    await drainJobs(desk);
    expect(hits).toBe(0);
    const failed = await desk.request(admin, 'GET', '/api/v1/jobs?name=webhooks.deliver&status=pending&limit=50');
    const retrying = [...failed.body.data, ...(await desk.request(admin, 'GET', '/api/v1/jobs?name=webhooks.deliver&status=failed')).body.data];
    expect(retrying.some((j: { lastError: string | null }) => j.lastError?.includes('internal address 127.0.0.1'))).toBe(true);
  });

  it('checks the address as it connects, so a name turning internal after the check is still refused', async () => {
    const port = (receiver.address() as AddressInfo).port;
    const before = hits;
    // localhost stands in for a public name that now resolves inside: nothing but the connect-time check stands in the way.
    await expect(postJson(`http://localhost:${port}/rebound`, {}, '{}', { allowInternal: false, timeoutMs: 5000 })).rejects.toThrow(/localhost resolves to the internal address/);
    await expect(postJson(`http://127.0.0.1:${port}/literal`, {}, '{}', { allowInternal: false, timeoutMs: 5000 })).rejects.toThrow(/internal address 127\.0\.0\.1/);
    expect(hits).toBe(before);
    // Allowed, the same receiver is reached.
    expect(await postJson(`http://localhost:${port}/allowed`, {}, '{}', { allowInternal: true, timeoutMs: 5000 })).toBe(200);
    expect(paths.at(-1)).toBe('/allowed');
  });

  it('does not follow a redirect: the 302 is the answer', async () => {
    const port = (receiver.address() as AddressInfo).port;
    expect(await postJson(`http://127.0.0.1:${port}/moved`, {}, '{}', { allowInternal: true, timeoutMs: 5000 })).toBe(302);
    expect(paths).toContain('/moved');
    expect(paths).not.toContain('/inside');
  });

  it('gives up on a receiver that keeps the answer coming past the deadline', async () => {
    const port = (receiver.address() as AddressInfo).port;
    await expect(postJson(`http://127.0.0.1:${port}/drip`, {}, '{}', { allowInternal: true, timeoutMs: 400 })).rejects.toThrow(/no answer within 400 ms/);
  });

  it('tells public from internal addresses', () => {
    expect(['93.184.216.34', '2606:2800:220:1::', '172.32.0.1', '100.128.0.1'].map(isInternalAddress)).toEqual([false, false, false, false]);
    expect(['127.0.0.1', '10.0.0.1', '172.16.5.4', '192.168.0.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', 'fd00::1', 'fe80::1', '::ffff:127.0.0.1'].map(isInternalAddress)).toEqual(
      Array(11).fill(true),
    );
    // Multicast, broadcast, benchmarking and documentation nets, and IPv6 spellings of IPv4 addresses.
    const odd = ['224.0.0.1', '239.255.255.250', '255.255.255.255', '198.18.0.1', '198.19.255.1', '192.0.2.10', '203.0.113.5', 'ff02::1', '::ffff:7f00:1', '64:ff9b::a00:1', '2001:db8::1'];
    expect(odd.map(isInternalAddress)).toEqual(Array(odd.length).fill(true));
    expect(['198.20.0.1', '2001:4860::8888'].map(isInternalAddress)).toEqual([false, false]
    );
  });
});

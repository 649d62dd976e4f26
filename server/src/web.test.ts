import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mailFrameHeightScript, mailFrameHeightScriptHash } from '../../common/mail-frame.js';
import { serveWeb } from './web.js';

const dist = fs.mkdtempSync(path.join(os.tmpdir(), 'frontline-web-'));
const app = Fastify();

beforeAll(async () => {
  fs.mkdirSync(path.join(dist, 'assets'));
  fs.writeFileSync(path.join(dist, 'index.html'), '<!doctype html><div id="root"></div>');
  fs.writeFileSync(path.join(dist, 'assets', 'app-1.js'), 'console.log(1)');
  await serveWeb(app, dist);
});
afterAll(async () => {
  await app.close();
  fs.rmSync(dist, { recursive: true, force: true });
});

describe('the agent app pages', () => {
  it('come with a policy that lets only our own scripts run and no other site frame them', async () => {
    const page = await app.inject({ method: 'GET', url: '/tickets/123' });
    expect(page.statusCode).toBe(200);
    const policy = String(page.headers['content-security-policy']);
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain("frame-ancestors 'none'");
    // The one inline script allowed is the mail frame's height report, pinned by its hash.
    expect(mailFrameHeightScriptHash).toBe(`sha256-${createHash('sha256').update(mailFrameHeightScript).digest('base64')}`);
    expect(policy).toContain(`script-src 'self' '${mailFrameHeightScriptHash}';`);
    const asset = await app.inject({ method: 'GET', url: '/assets/app-1.js' });
    expect(asset.headers['cache-control']).toContain('immutable');
  });
});

import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { call, spawnApp, type AppProcess } from '../../test/app-process.js';
import { freshDatabaseUrl } from '../../test/harness.js';
import { tempFolders } from '../../test/temp-folders.js';
import { DEMO_PASSWORD, DEMO_TICKETS } from './demo.js';

// A start with FRONTLINE_DEMO=1 killed while the demo loads: the next start loads the whole demo,
// once, rather than skipping a half-made desk or adding a second set.
const folders = tempFolders('demo-kill');
const started: AppProcess[] = [];
afterEach(async () => {
  for (const p of started.splice(0)) await p.stop('SIGKILL');
});
afterAll(() => folders.removeAll());

async function start(env: Record<string, string>) {
  const p = await spawnApp(env);
  started.push(p);
  return p;
}

describe('an interrupted demo load', () => {
  it('is loaded in full, exactly once, on the next start', { timeout: 900_000 }, async () => {
    const databaseUrl = await freshDatabaseUrl();
    const env = { FRONTLINE_DATA_DIR: folders.make(), FRONTLINE_DEMO: '1', ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) };

    const first = await start(env);
    await first.waitForOutput(/loading the demo desk/);
    // Into the load (people made, some tickets replayed), well before its end even on a fast machine.
    await new Promise((r) => setTimeout(r, 1000));
    expect(first.stdout()).not.toContain('Demo desk loaded');
    first.child.kill('SIGKILL');
    await first.exited;

    const second = await start(env);
    await second.waitHealthy();
    expect(second.stdout()).toMatch(new RegExp(`Demo desk loaded: ${DEMO_TICKETS} tickets`));
    const email = second.stdout().match(/\(e\.g\. (\S+)\)/)![1];
    const login = await call(second.url, 'POST', '/api/v1/auth/login', { email, password: DEMO_PASSWORD });
    expect(login.status).toBe(200);
    const token = login.body.token as string;
    let tickets = 0;
    let cursor: string | undefined;
    do {
      const page = await call(second.url, 'GET', `/api/v1/tickets?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, undefined, token);
      expect(page.status).toBe(200);
      tickets += page.body.data.length;
      cursor = page.body.nextCursor ?? undefined;
    } while (cursor);
    expect(tickets).toBe(DEMO_TICKETS);
    const staff = await call(second.url, 'GET', '/api/v1/staff', undefined, token);
    expect(staff.body.data.filter((s: { email: string }) => s.email === email)).toHaveLength(1);
    expect(await second.stop()).toBe(0);

    // A third start leaves the loaded demo alone.
    const third = await start(env);
    await third.waitHealthy();
    expect(third.stdout()).not.toContain('Demo desk loaded');
  });
});

// `npm test`: the whole suite on PGlite, then again on a PostgreSQL server started here.
import { spawnSync } from 'node:child_process';
import { startPostgres } from './postgres.mjs';

const extra = process.argv.slice(2);

function vitest(label, env) {
  console.log(`\n[test] ${label}`);
  const res = spawnSync('npx', ['vitest', 'run', ...extra], { stdio: 'inherit', env: { ...process.env, ...env } });
  return res.status ?? 1;
}

let failed = 0;
if (extra.length === 0) {
  console.log('\n[test] type check (server and web, TypeScript strict)');
  const tsc = spawnSync('npm', ['run', '--silent', 'typecheck'], { stdio: 'inherit' });
  failed = (tsc.status ?? 1) || failed;
}
failed = vitest('server suite on PGlite (embedded)', { FRONTLINE_TEST_DB: 'pglite' }) || failed;
console.log('\n[test] cluster tests (*.pg.test.ts: several app processes on one database) run in the PostgreSQL pass, not on PGlite');

let pg;
try {
  pg = await startPostgres();
} catch (err) {
  console.error(`\n[test] cannot run the PostgreSQL suite: ${err.message}`);
  process.exit(1);
}
try {
  failed = vitest(`server suite on PostgreSQL (${pg.url})`, { FRONTLINE_TEST_DB: 'postgres', FRONTLINE_TEST_DATABASE_URL: pg.url }) || failed;
} finally {
  pg.stop();
}

// Browser scenarios (scripts/test-web.mjs): skipped when only some test files were asked for.
if (extra.length === 0) {
  console.log('\n[test] browser scenarios: Playwright + Debian Chromium on the built agent app');
  const web = spawnSync(process.execPath, ['scripts/test-web.mjs'], { stdio: 'inherit' });
  failed = (web.status ?? 1) || failed;
} else {
  console.log('\n[test] browser scenarios skipped (test files were named); run them with node scripts/test-web.mjs');
}
process.exit(failed);

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
process.exit(failed);

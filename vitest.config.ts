import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['server/**/*.test.ts', 'web/src/**/*.test.ts'],
    // `*.pg.test.ts` need a PostgreSQL server (e.g. several app processes on one database): they are
    // part of the PostgreSQL pass only, which scripts/test.mjs announces.
    exclude: [...configDefaults.exclude, ...(process.env.FRONTLINE_TEST_DB === 'postgres' ? [] : ['server/**/*.pg.test.ts'])],
    environment: 'node',
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ['default'],
  },
});

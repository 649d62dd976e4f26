import { and, desc, eq, lt, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../platform/context.js';
import { conflict, notFound } from '../../platform/errors.js';
import { JOBS_CHANNEL } from '../../platform/jobs/jobs.js';
import { jobs } from '../../platform/jobs/jobs.table.js';
import { job, jobPage } from './jobs.responses.js';
import { decodeSequenceCursor, encodeSequenceCursor, pageLimit } from '../../platform/cursor.js';

type JobRow = typeof jobs.$inferSelect;
const present = (j: JobRow) => ({
  id: j.id,
  name: j.name,
  status: j.status,
  attempts: j.attempts,
  maxAttempts: j.maxAttempts,
  runAt: j.runAt.toISOString(),
  lastError: j.lastError,
  payload: j.payload,
  createdAt: j.createdAt.toISOString(),
  finishedAt: j.finishedAt?.toISOString() ?? null,
});

export function jobRoutes(ctx: AppContext) {
  return async (app: FastifyInstance) => {
    const r = app.withTypeProvider<ZodTypeProvider>();
    const tags = ['jobs'];
    r.get(
      '/jobs',
      {
        config: { capability: 'jobs.manage', responses: { 200: jobPage } },
        schema: {
          tags,
          summary: 'Background jobs, newest first, a page at a time, e.g. ?status=failed',
          querystring: z.strictObject({
            status: z.enum(['pending', 'running', 'done', 'failed']).optional(),
            name: z.string().max(100).optional(),
            limit: pageLimit(),
            cursor: z.string().max(500).optional(),
          }),
        },
      },
      async (req) => {
        const q = req.query;
        const after = q.cursor ? decodeSequenceCursor(q.cursor, 'jobs') : undefined;
        const rows = await ctx.db
          .select()
          .from(jobs)
          .where(and(q.status ? eq(jobs.status, q.status) : undefined, q.name ? eq(jobs.name, q.name) : undefined, after !== undefined ? lt(jobs.id, after) : undefined))
          .orderBy(desc(jobs.id))
          .limit(q.limit + 1);
        const page = rows.slice(0, q.limit);
        const last = page.at(-1);
        return { data: page.map(present), nextCursor: rows.length > q.limit && last ? encodeSequenceCursor('jobs', last.id) : null };
      },
    );
    r.post(
      '/jobs/:id/retry',
      { config: { capability: 'jobs.manage', responses: { 200: job } }, schema: { tags, summary: 'Run a failed job again', params: z.object({ id: z.coerce.number().int().positive() }) } },
      async (req) => {
        const [row] = await ctx.db.select().from(jobs).where(eq(jobs.id, req.params.id));
        if (!row) throw notFound('Job');
        if (row.status !== 'failed') throw conflict('job_not_failed', `Job ${row.id} is ${row.status}; only failed jobs can be retried`);
        const [updated] = await ctx.db
          .update(jobs)
          .set({ status: 'pending', attempts: 0, runAt: ctx.clock.now(), lastError: null, finishedAt: null })
          .where(and(eq(jobs.id, row.id), eq(jobs.status, 'failed')))
          .returning();
        // Retried by someone else between the read and the write.
        if (!updated) throw conflict('job_not_failed', `Job ${row.id} is no longer failed`);
        await ctx.db.execute(sql`select pg_notify(${JOBS_CHANNEL}, '')`);
        return present(updated);
      },
    );
  };
}

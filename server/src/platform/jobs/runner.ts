import { sql } from 'drizzle-orm';
import type { AppContext } from '../context.js';
import { backoffSeconds, JobFailure, JOBS_CHANNEL } from './jobs.js';
import { clip } from '../text.js';

export type Job = { id: number; name: string; payload: unknown; attempts: number; maxAttempts: number };
export type JobHandler = (payload: any, job: Job) => Promise<void>; // eslint-disable-line @typescript-eslint/no-explicit-any
/**
 * Takes every claimed job of its name at once, in claim order, and answers per job: null for done,
 * an error for a retry. Lets a handler share one transaction and overlap work across jobs.
 */
export type BatchJobHandler = { batch: (jobs: Job[]) => Promise<(Error | null)[]> };
/**
 * A batch handler in two steps: `prepare` works outside any transaction (parsing, files) and returns
 * the step that writes. While one claim writes, the runner claims and prepares the next of the same
 * name, so preparing overlaps writing; the writes still run one after another, in claim order.
 */
export type StagedJobHandler = { staged: (jobs: Job[]) => Promise<() => Promise<(Error | null)[]>> };
export type JobHandlers = Record<string, JobHandler | BatchJobHandler | StagedJobHandler>;

const STALE_AFTER_SECONDS = 300;
/** A claimed job still waiting its turn in the batch after this long re-asserts its lock before running. */
const RECHECK_AFTER_MS = 60_000;
/** Claims a staged handler may follow one after another before other jobs get their turn. */
const STAGED_ROUNDS = 20;
/** A job taking longer than this stops renewing its lock, so a hung handler is eventually retried elsewhere. */
const MAX_HEARTBEAT_MS = 30 * 60_000;

/**
 * Claims due jobs with FOR UPDATE SKIP LOCKED, so any number of app nodes share one queue and a
 * job runs once. A failure is retried with backoff; past its attempts it stays visible as failed.
 */
export class JobRunner {
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  /** Set by stop(): a staged handler finishes its claim but takes no next one. */
  private stopping = false;
  private active: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private unlisten: (() => Promise<void>) | undefined;
  /** Set by a NOTIFY that arrives while a batch runs, so the loop looks again instead of sleeping. */
  private poked = false;

  constructor(
    private readonly ctx: AppContext,
    private readonly handlers: JobHandlers,
    /**
     * heartbeatMs: how often a running job renews its lock (real time), well inside the stale timeout.
     * gatherMs: after a NOTIFY wakes an idle runner, how long it waits before claiming, so work queued
     * together (mail arriving in a burst) is claimed and written as one batch.
     */
    private readonly opts: { batch?: number; pollMs?: number; heartbeatMs?: number; gatherMs?: number } = {},
  ) {}

  async start() {
    this.running = true;
    this.stopping = false;
    this.unlisten = await this.ctx.database.listen(JOBS_CHANNEL, () => {
      this.poked = true;
      this.wake?.();
    });
    this.active = this.loop();
  }

  async stop() {
    this.running = false;
    this.stopping = true;
    this.wake?.();
    if (this.timer) clearTimeout(this.timer);
    await this.active;
    await this.unlisten?.();
  }

  private async loop() {
    while (this.running) {
      let worked = 0;
      this.poked = false;
      try {
        worked = await this.runDue();
      } catch (err) {
        this.ctx.log.error({ err }, 'job runner failed to claim jobs');
      }
      if (!this.running) break;
      if (worked > 0 || this.poked) continue;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        this.timer = setTimeout(resolve, this.opts.pollMs ?? 1000);
      });
      this.wake = undefined;
      const gather = this.opts.gatherMs ?? 20;
      if (this.poked && this.running && gather > 0) await new Promise((resolve) => setTimeout(resolve, gather));
    }
  }

  /** Claims due jobs (of one name, when given), oldest first. */
  private async claim(name?: string): Promise<Job[]> {
    const now = this.ctx.clock.now().toISOString();
    const claimed = await this.ctx.db.execute(sql`
      update jobs set status = 'running', attempts = attempts + 1, locked_by = ${this.ctx.config.nodeId}, locked_at = ${now}::timestamptz
      where id in (
        select id from jobs
        where ((status = 'pending' and run_at <= ${now}::timestamptz)
           or (status = 'running' and locked_at < ${now}::timestamptz - make_interval(secs => ${STALE_AFTER_SECONDS})))
          ${name === undefined ? sql`` : sql`and name = ${name}`}
        order by run_at, id
        limit ${this.opts.batch ?? 10}
        for update skip locked
      )
      returning id, name, payload, attempts, max_attempts, run_at
    `);
    // RETURNING comes back in no particular order: run oldest first, as claimed.
    type Claimed = { id: string | number; name: string; payload: unknown; attempts: number; max_attempts: number; run_at: string | Date };
    return (claimed.rows as Claimed[])
      .map((r) => ({ job: { id: Number(r.id), name: r.name, payload: r.payload, attempts: r.attempts, maxAttempts: r.max_attempts }, at: new Date(r.run_at).getTime() }))
      .sort((x, y) => x.at - y.at || x.job.id - y.job.id)
      .map((x) => x.job);
  }

  /** A failed follow-on claim ends the run of claims; the loop claims again later. */
  private async claimQuietly(name: string): Promise<Job[]> {
    try {
      return await this.claim(name);
    } catch (err) {
      this.ctx.log.error({ err }, 'job runner failed to claim jobs');
      return [];
    }
  }

  /** Claims and runs one batch of due jobs; returns how many ran. */
  async runDue(): Promise<number> {
    const jobs = await this.claim();
    const claimedAt = this.ctx.clock.now().getTime();
    let ran = 0;
    const batched = new Set<string>();
    for (const job of jobs) {
      const handler = this.handlers[job.name];
      if (handler && ('batch' in handler || 'staged' in handler)) {
        // All of this name run together, at the first one's place in the order.
        if (batched.has(job.name)) continue;
        batched.add(job.name);
        const group: Job[] = [];
        for (const j of jobs.filter((x) => x.name === job.name)) {
          if (this.ctx.clock.now().getTime() - claimedAt > RECHECK_AFTER_MS && !(await this.stillMine(j))) continue;
          group.push(j);
        }
        if ('staged' in handler) {
          ran += await this.runStaged(handler, group);
        } else {
          await this.runBatch((jobs) => handler.batch(jobs), group);
          ran += group.length;
        }
        continue;
      }
      // Jobs late in a slow batch could pass the stale timeout and be reclaimed by another node: refresh
      // the lock first, and skip the job if it is no longer ours.
      if (this.ctx.clock.now().getTime() - claimedAt > RECHECK_AFTER_MS && !(await this.stillMine(job))) continue;
      await this.runOne(job);
      ran++;
    }
    return ran;
  }

  private async stillMine(job: Job): Promise<boolean> {
    const res = await this.ctx.db.execute(sql`
      update jobs set locked_at = ${this.ctx.clock.now().toISOString()}::timestamptz
      where id = ${job.id} and status = 'running' and locked_by = ${this.ctx.config.nodeId} and attempts = ${job.attempts}
      returning id
    `);
    return res.rows.length > 0;
  }

  /** Renews the locks of running jobs every heartbeatMs until stopped. */
  private heartbeat(jobs: Job[]): () => void {
    const started = Date.now();
    const timer = setInterval(() => {
      if (Date.now() - started > MAX_HEARTBEAT_MS) return clearInterval(timer);
      for (const job of jobs) this.stillMine(job).catch((err) => this.ctx.log.warn({ err, job: job.id }, 'job heartbeat failed'));
    }, this.opts.heartbeatMs ?? 60_000);
    timer.unref();
    return () => clearInterval(timer);
  }

  private async runOne(job: Job) {
    const handler = this.handlers[job.name] as JobHandler | undefined;
    // A long job (a large mail, a slow receiver) keeps its lock fresh, so no node takes it for abandoned.
    const stop = this.heartbeat([job]);
    try {
      if (!handler) throw new Error(`no handler for job ${job.name}`);
      await handler(job.payload, job);
      await this.done([job]);
    } catch (err) {
      await this.failed(job, err);
    } finally {
      stop();
    }
  }

  private async runBatch(run: (jobs: Job[]) => Promise<(Error | null)[]>, jobs: Job[]) {
    if (!jobs.length) return;
    const stop = this.heartbeat(jobs);
    try {
      let outcomes: (Error | null)[];
      try {
        outcomes = await run(jobs);
      } catch (err) {
        outcomes = jobs.map(() => (err instanceof Error ? err : new Error(String(err))));
      }
      // One statement marks the whole batch done: one commit, not one per job.
      await this.done(jobs.filter((_, i) => !outcomes[i]));
      for (const [i, job] of jobs.entries()) if (outcomes[i]) await this.failed(job, outcomes[i]);
    } finally {
      stop();
    }
  }

  /**
   * Runs a staged handler's claim, and while it writes, claims and prepares the next jobs of its
   * name; returns how many ran. Each claim is finished (done or failed) before the next one writes.
   */
  private async runStaged(handler: StagedJobHandler, first: Job[]): Promise<number> {
    const prepare = (jobs: Job[]) => {
      const write = handler.staged(jobs);
      write.catch(() => {}); // awaited below; a failure becomes every job's outcome
      return write;
    };
    let jobs = first;
    let write = prepare(jobs);
    let ran = 0;
    for (let round = 1; jobs.length; round++) {
      const current = write;
      const writing = this.runBatch(async () => (await current)(), jobs);
      const next = !this.stopping && round < STAGED_ROUNDS ? await this.claimQuietly(jobs[0].name) : [];
      if (next.length) write = prepare(next);
      await writing;
      ran += jobs.length;
      jobs = next;
    }
    return ran;
  }

  private async done(jobs: Job[]) {
    if (!jobs.length) return;
    const ids = sql.join(
      jobs.map((j) => sql`${j.id}`),
      sql`, `,
    );
    await this.ctx.db.execute(
      sql`update jobs set status = 'done', finished_at = ${this.ctx.clock.now().toISOString()}::timestamptz, last_error = null where id in (${ids})`,
    );
  }

  private async failed(job: Job, err: unknown) {
    // NUL cannot be stored in text; a job whose error quoted one would otherwise never be marked.
    const message = (err instanceof Error ? err.message : String(err)).replaceAll('\0', '');
    const chosen = err instanceof JobFailure ? err.next : {};
    const final = chosen.final === true || job.attempts >= job.maxAttempts;
    const runAt = new Date(this.ctx.clock.now().getTime() + (chosen.retryInSeconds ?? backoffSeconds(job.attempts)) * 1000);
    this.ctx.log.warn({ job: job.id, name: job.name, attempts: job.attempts, final, error: message }, 'job failed');
    await this.ctx.db.execute(sql`
      update jobs set status = ${final ? 'failed' : 'pending'}::job_status, last_error = ${clip(message, 2000)},
        run_at = ${runAt.toISOString()}::timestamptz, locked_by = null, locked_at = null,
        finished_at = ${final ? this.ctx.clock.now().toISOString() : null}::timestamptz
      where id = ${job.id}
    `);
  }
}

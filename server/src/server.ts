import pino, { type DestinationStream } from 'pino';
import type { FastifyInstance } from 'fastify';
import type { Config } from './config.js';
import { buildApp } from './app.js';
import { migrateDatabase, openDatabase, type Database } from './db/client.js';
import { systemClock, type Clock } from './platform/clock.js';
import type { AppContext } from './platform/context.js';
import { SettingsCache } from './platform/settings-cache.js';
import { followCredentialChanges } from './platform/auth/credentials-notice.js';
import { JobRunner, type JobHandlers } from './platform/jobs/runner.js';
import { RealtimeHub } from './platform/realtime/realtime.js';
import { LocalStorage } from './platform/storage.js';
import { webhookJobs } from './modules/webhooks/webhooks.service.js';
import { promiseJobs } from './modules/sla/sla.jobs.js';
import { housekeepingJobs, scheduleHousekeeping } from './platform/housekeeping.js';
import { emailJobs, startEmailChannel, type EmailChannel } from './modules/email/email-channel.js';
import path from 'node:path';

export type Server = {
  app: FastifyInstance;
  ctx: AppContext;
  hub: RealtimeHub;
  runner: JobRunner;
  email: EmailChannel;
  close(): Promise<void>;
};

export type ServerOptions = {
  clock?: Clock;
  database?: Database;
  inMemory?: boolean;
  logger?: boolean;
  extraJobs?: JobHandlers;
  startJobs?: boolean;
  /** Tests: every answer is held to its documentation, and mismatches are collected here. */
  answerFaults?: string[];
  /** Where logs go instead of stdout; tests read it to prove secrets stay out of the log. */
  logStream?: DestinationStream;
};

export function jobHandlers(ctx: AppContext, extra: JobHandlers = {}): JobHandlers {
  return { ...housekeepingJobs(ctx), ...webhookJobs(ctx), ...promiseJobs(ctx), ...emailJobs(ctx), ...extra };
}

/** Opens the database, migrates it, and wires the app, realtime hub and job runner. */
export async function createServer(config: Config, opts: ServerOptions = {}): Promise<Server> {
  const database = opts.database ?? (await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, inMemory: opts.inMemory }));
  await migrateDatabase(database);
  const log = pino({ level: opts.logger === false ? 'silent' : config.logLevel, redact: ['req.headers.authorization', 'req.headers.cookie', '*.password', '*.token'] }, opts.logStream);
  const ctx: AppContext = {
    config,
    database,
    db: database.db,
    clock: opts.clock ?? systemClock,
    storage: new LocalStorage(path.join(config.dataDir, 'attachments')),
    settings: new SettingsCache(database),
    log,
  };
  await ctx.settings.start();
  const stopCredentialNotices = await followCredentialChanges(database);
  const hub = new RealtimeHub(ctx);
  await hub.start();
  const app = await buildApp(ctx, { realtime: hub, answerFaults: opts.answerFaults, logger: opts.logger === false ? false : { level: config.logLevel, redact: ['req.headers.authorization', 'req.headers.cookie'], stream: opts.logStream } });
  const runner = new JobRunner(ctx, jobHandlers(ctx, opts.extraJobs));
  await scheduleHousekeeping(ctx);
  if (opts.startJobs ?? config.jobsEnabled) await runner.start();
  const email = await startEmailChannel(ctx, { receivers: true });
  return {
    app,
    ctx,
    hub,
    runner,
    email,
    async close() {
      await email.close();
      await app.close();
      await runner.stop();
      await hub.stop();
      await ctx.settings.stop();
      await stopCredentialNotices();
      await database.close();
    },
  };
}

import type { AppContext } from '../../platform/context.js';
import type { JobHandlers } from '../../platform/jobs/runner.js';
import { dispatchJobs } from '../dispatch/dispatch.jobs.js';
import { closeLoopJobs } from '../escalation/close-loop.jobs.js';
import { followUpJobs } from '../escalation/follow-ups.jobs.js';
import { slaJobs } from './timers.jobs.js';

/** Every durable job of keeping promises: SLA timers, auto-assignment, follow-ups, closing the loop. */
export function promiseJobs(ctx: AppContext): JobHandlers {
  return { ...slaJobs(ctx), ...dispatchJobs(ctx), ...followUpJobs(ctx), ...closeLoopJobs(ctx) };
}

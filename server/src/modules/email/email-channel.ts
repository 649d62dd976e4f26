import type { AppContext } from '../../platform/context.js';
import { onTicketEvent } from '../../platform/events.js';
import type { JobHandlers } from '../../platform/jobs/runner.js';
import { REFETCH_JOB } from './held-mail.js';
import { fetchHeldOnce, startImapFetchers } from './imap-fetcher.js';
import { prepareInboundBatch } from './inbound-process.js';
import { INBOUND_JOB, requeueWaitingInbound } from './inbound-store.js';
import { ensureDefaultMailbox } from './mailboxes.service.js';
import { moveMailOnMerge } from './merged-mail.js';
import { closeTransports, emailEventHook, SEND_JOB, sendOutbound } from './outbound.js';
import { parsePool } from './parse-pool.js';
import { startSmtpReceiver } from './smtp-receiver.js';

export function emailJobs(ctx: AppContext): JobHandlers {
  return {
    // A batch at once, in two steps: the next claim is parsed while this one writes, and each commits once.
    [INBOUND_JOB]: {
      staged: (jobs) => prepareInboundBatch(ctx, jobs.map((job) => ({ inboundId: (job.payload as { inboundId: string }).inboundId, final: job.attempts >= job.maxAttempts }))),
    },
    [SEND_JOB]: (payload: { outboundId: string }, job) => sendOutbound(ctx, payload.outboundId, job),
    [REFETCH_JOB]: async (payload: { mailboxId: string }) => {
      await fetchHeldOnce(ctx, payload.mailboxId);
    },
  };
}

export type EmailChannel = { smtpPort: number | null; close(): Promise<void> };

/** The default mailbox, the outbox hook, and the receivers this node runs (SMTP, IMAP). */
export async function startEmailChannel(ctx: AppContext, opts: { receivers: boolean }): Promise<EmailChannel> {
  onTicketEvent(emailEventHook, ['message.added', 'ticket.status_changed']);
  onTicketEvent(moveMailOnMerge, ['ticket.merge_received']);
  await ensureDefaultMailbox(ctx);
  if (opts.receivers) await requeueWaitingInbound(ctx);
  const smtp = opts.receivers && ctx.config.smtpPort !== undefined ? await startSmtpReceiver(ctx, { port: ctx.config.smtpPort, host: ctx.config.smtpHost }) : null;
  const imap = opts.receivers ? await startImapFetchers(ctx) : null;
  return {
    smtpPort: smtp?.port ?? null,
    async close() {
      await smtp?.close();
      await imap?.close();
      closeTransports();
      await parsePool.close();
    },
  };
}

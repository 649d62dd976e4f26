import crypto from 'node:crypto';
import type { Account, TestDesk } from './harness.js';

/** Runs every due job until none is left (timers, dispatch, notices). */
export async function drainJobs(desk: TestDesk): Promise<number> {
  let total = 0;
  for (let n = await desk.runner.runDue(); n > 0; n = await desk.runner.runDue()) total += n;
  return total;
}

export async function newTicket(desk: TestDesk, staff: Account, fields: Record<string, unknown> = {}) {
  const res = await desk.request(staff, 'POST', '/api/v1/tickets', {
    subject: 'Printer on floor 3 is jammed',
    channel: 'email',
    requester: { email: `c-${crypto.randomBytes(4).toString('hex')}@example.com` },
    body: 'It shows error 52 since this morning.',
    ...fields,
  });
  if (res.status !== 201) throw new Error(`ticket: ${JSON.stringify(res.body)}`);
  return res.body;
}

export const targetOf = (ticket: { sla: { metric: string }[] }, metric: string) => ticket.sla.find((t) => t.metric === metric) as any;

export async function eventsOf(desk: TestDesk, staff: Account, ticketId: string, type: string) {
  const res = await desk.request(staff, 'GET', `/api/v1/tickets/${ticketId}/timeline`);
  return (res.body.data as { type: string; data: any }[]).filter((e) => e.type === type);
}

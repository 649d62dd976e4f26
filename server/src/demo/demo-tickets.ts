import { ticketChannels, ticketStatuses, type TicketChannel, type TicketPriority, type TicketStatus } from '../../../common/enums.js';
import { addMessage } from '../modules/tickets/messages.service.js';
import { createTicket, updateTicket } from '../modules/tickets/tickets.service.js';
import { ManualClock } from '../platform/clock.js';
import type { AppContext } from '../platform/context.js';
import type { Actor } from '../platform/permissions.js';
import type { DemoCustomer, DemoPeople, DemoStaff } from './demo-people.js';
import type { Random } from './demo-random.js';
import { escalationNote, holdNotes, transferNote, pendingReplies, scenarios, thanks, type Scenario } from './demo-texts.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const MAX_MESSAGES = 6;

type TicketPlan = {
  customer: DemoCustomer;
  scenario: Scenario;
  channel: TicketChannel;
  status: TicketStatus;
  priority: TicketPriority;
  tags: string[];
  createdAt: Date;
};

const priorities: TicketPriority[] = ['low', 'normal', 'high', 'urgent'];

/** How long ago a ticket in each status was opened: fresh ones are new, old ones closed. */
const ageRange: Record<TicketStatus, [number, number]> = {
  new: [0.1 * HOUR, 30 * HOUR],
  open: [2 * HOUR, 10 * DAY],
  pending: [1 * DAY, 12 * DAY],
  on_hold: [2 * DAY, 20 * DAY],
  solved: [1 * DAY, 20 * DAY],
  closed: [6 * DAY, 60 * DAY],
};

/** Which tickets to make: deterministic for a seed, covering every channel and status. */
export function planTickets(rnd: Random, customers: DemoCustomer[], count: number, now: Date): TicketPlan[] {
  const plans: TicketPlan[] = [];
  for (let i = 0; i < count; i++) {
    const customer = rnd.pick(customers);
    const scenario = rnd.pick(scenarios.filter((s) => s.audience === customer.kind));
    // The first tickets walk through every channel and status, so the mix is complete at any size.
    const channel =
      i < ticketChannels.length * 2
        ? ticketChannels[i % ticketChannels.length]
        : customer.kind === 'internal'
          ? rnd.weighted({ email: 25, portal: 25, phone: 20, walk_in: 20, chat: 10 })
          : rnd.weighted({ email: 35, chat: 20, portal: 20, phone: 12, api: 8, walk_in: 5 });
    const status =
      i < ticketStatuses.length * 2
        ? ticketStatuses[i % ticketStatuses.length]
        : rnd.weighted({ new: 8, open: 18, pending: 12, on_hold: 6, solved: 20, closed: 36 });
    const base = priorities.indexOf(scenario.priority);
    const shift = rnd.chance(0.25) ? rnd.pick([-1, 1]) : 0;
    const priority = priorities[Math.min(3, Math.max(0, base + shift))];
    const tags = [...scenario.tags];
    if (customer.kind === 'external' && rnd.chance(0.1)) tags.push('vip');
    if (rnd.chance(0.08)) tags.push('repeat-contact');
    const [min, max] = ageRange[status];
    const createdAt = new Date(now.getTime() - (min + rnd.next() * (max - min)));
    plans.push({ customer, scenario, channel, status, priority, tags, createdAt });
  }
  // Numbers follow time, as on a real desk.
  return plans.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
}

const fill = (text: string, customer: DemoCustomer, agent: Actor) => text.replaceAll('{name}', customer.firstName).replaceAll('{agent}', agent.name);

function pickAgent(rnd: Random, people: DemoPeople, teamId: string, customer: DemoCustomer): DemoStaff {
  const inTeam = people.staff.filter((s) => s.spec.role === 'agent' && s.actor.teamIds.includes(teamId));
  const speaking = inTeam.filter((s) => s.spec.speaks.includes(customer.language));
  return rnd.pick(speaking.length ? speaking : inTeam);
}

/** Replays one ticket's life through the real services, with a clock that walks forward. */
async function playTicket(ctx: AppContext, rnd: Random, people: DemoPeople, plan: TicketPlan, limit: Date) {
  const clock = new ManualClock(plan.createdAt);
  const at = { ...ctx, clock };
  // Steps shrink as they near the present, so nothing lands in the future.
  const wait = (ms: number) => clock.advance(Math.min(ms, (limit.getTime() - clock.now().getTime()) / 2));
  const { customer, scenario, status } = plan;
  const text = scenario.text[customer.language];
  const dispatcher = people.staff.find((s) => s.spec.role === 'dispatcher')!.actor;
  const supervisor = people.staff.find((s) => s.spec.role === 'supervisor')!.actor;
  const teamId = people.teams[scenario.team];
  let agent = pickAgent(rnd, people, teamId, customer).actor;
  let messages = 1;

  // Calls and visits are logged by the agent who takes them; the rest arrive from the customer.
  const loggedByStaff = plan.channel === 'phone' || plan.channel === 'walk_in';
  const assignNow = loggedByStaff && status !== 'new';
  const { id } = await createTicket(at, loggedByStaff ? (status === 'new' ? dispatcher : agent) : customer.actor, {
    subject: text.subject,
    body: text.body,
    channel: plan.channel,
    priority: plan.priority,
    ...(loggedByStaff
      ? { requesterId: customer.id, teamId, category: scenario.category, tags: plan.tags, ...(assignNow ? { assigneeId: agent.userId } : {}) }
      : {}),
  });
  if (status === 'new') {
    // Some new tickets were already sorted into a queue by the dispatcher, none has an owner yet.
    if (!loggedByStaff && rnd.chance(0.5)) {
      wait(rnd.int(5, 40) * 60_000);
      await updateTicket(at, dispatcher, id, { teamId, category: scenario.category, tags: plan.tags });
    }
    return;
  }
  if (!assignNow) {
    wait(rnd.int(5, 120) * 60_000);
    await updateTicket(at, dispatcher, id, { teamId, assigneeId: agent.userId, category: scenario.category, tags: plan.tags });
  }
  wait(rnd.int(10, 240) * 60_000);
  await addMessage(at, agent, id, { body: fill(text.reply, customer, agent), internal: false });
  messages++;

  const escalate = rnd.chance(scenario.escalation);
  // Some tickets change hands inside the team instead: the agent is away, or a colleague knows more.
  const transfer = !escalate && rnd.chance(0.1);
  const note = rnd.chance(escalate ? 0.3 : 0.45);
  const followUp = rnd.chance(0.5);
  if (note) {
    wait(rnd.int(5, 90) * 60_000);
    await addMessage(at, agent, id, { body: scenario.note, internal: true });
    messages++;
  }
  if (followUp) {
    wait(rnd.int(1, 20) * HOUR);
    await addMessage(at, customer.actor, id, { body: text.followUp, internal: false });
    messages++;
  }
  if (escalate) {
    wait(rnd.int(20, 180) * 60_000);
    const expert = pickAgent(rnd, people, people.teams.l2, customer).actor;
    await updateTicket(at, agent, id, {
      teamId: people.teams.l2,
      assigneeId: expert.userId,
      priority: plan.priority === 'urgent' ? 'urgent' : 'high',
      note: escalationNote(scenario.note, agent.name),
    });
    messages++;
    agent = expert;
  }

  if (transfer) {
    const colleagues = people.staff.filter((s) => s.spec.role === 'agent' && s.actor.teamIds.includes(teamId) && s.actor.userId !== agent.userId);
    if (colleagues.length) {
      wait(rnd.int(30, 240) * 60_000);
      const next = rnd.pick(colleagues).actor;
      await updateTicket(at, supervisor, id, { assigneeId: next.userId, note: transferNote(agent.name, next.name) });
      messages++;
      agent = next;
    }
  }

  if (status === 'open') return;
  if (status === 'pending') {
    wait(rnd.int(1, 6) * HOUR);
    await addMessage(at, agent, id, { body: fill(pendingReplies[customer.language], customer, agent), internal: false, status: 'pending' });
    return;
  }
  if (status === 'on_hold') {
    wait(rnd.int(1, 6) * HOUR);
    await updateTicket(at, agent, id, { status: 'on_hold', note: rnd.pick(holdNotes) });
    return;
  }
  // Solved and closed: the fix, sometimes thanked for first.
  wait(rnd.int(2, 30) * HOUR);
  if (messages + 2 <= MAX_MESSAGES && rnd.chance(0.35)) {
    await addMessage(at, customer.actor, id, { body: rnd.pick(thanks[customer.language]), internal: false });
    wait(rnd.int(10, 120) * 60_000);
  }
  await addMessage(at, agent, id, { body: fill(text.fix, customer, agent), internal: false, status: 'solved' });
  if (status === 'closed') {
    wait(rnd.int(2, 5) * DAY);
    await updateTicket(at, rnd.chance(0.8) ? agent : supervisor, id, { status: 'closed' });
  }
}

/** Makes the demo tickets; returns how many. */
export async function createDemoTickets(ctx: AppContext, rnd: Random, people: DemoPeople, count: number, now: Date): Promise<number> {
  const plans = planTickets(rnd, people.customers, count, now);
  const limit = new Date(now.getTime() - 60_000);
  for (const plan of plans) await playTicket(ctx, rnd, people, plan, limit);
  return plans.length;
}

import { sql } from 'drizzle-orm';
import type { AppContext } from '../../platform/context.js';

type Period = { from?: string; to?: string };

function within(column: string, p: Period) {
  const c = sql.raw(column);
  const conds = [sql`true`];
  if (p.from) conds.push(sql`${c} >= ${p.from}::timestamptz`);
  if (p.to) conds.push(sql`${c} < ${p.to}::timestamptz`);
  return sql.join(conds, sql` and `);
}

/**
 * Escalations per agent and team, and first-contact resolution per agent: tickets the agent solved
 * while the ticket sat at level 1, never escalated and never reopened.
 */
export async function agentReport(ctx: AppContext, p: Period) {
  const agents = await ctx.db.execute(sql`
    with solved as (
      select t.id, t.assignee_id, coalesce(tm.tier, 1) as tier,
        exists (select 1 from escalations e where e.ticket_id = t.id) as escalated,
        exists (select 1 from ticket_events ev where ev.ticket_id = t.id and ev.type = 'ticket.status_changed'
                and ev.data->>'from' in ('solved', 'closed') and ev.data->>'to' not in ('solved', 'closed')) as reopened
      from tickets t left join teams tm on tm.id = t.team_id
      where t.solved_at is not null and t.assignee_id is not null and t.merged_into_id is null and ${within('t.solved_at', p)}
    ),
    esc as (
      select actor_user_id as user_id, count(*)::int as n from escalations
      where requested_by = 'agent' and actor_user_id is not null and ${within('created_at', p)} group by actor_user_id
    )
    select u.id, u.name, u.role, u.tier,
      coalesce(esc.n, 0) as escalations,
      count(s.id)::int as solved,
      (count(s.id) filter (where s.tier = 1))::int as solved_at_l1,
      (count(s.id) filter (where s.tier = 1 and not s.escalated and not s.reopened))::int as first_contact
    from users u
    left join solved s on s.assignee_id = u.id
    left join esc on esc.user_id = u.id
    where u.role <> 'customer' and (s.id is not null or esc.n is not null)
    group by u.id, u.name, u.role, u.tier, esc.n
    order by u.name
  `);
  const teamsResult = await ctx.db.execute(sql`
    select tm.id, tm.name, tm.tier,
      (select count(*)::int from escalations e where e.from_team_id = tm.id and e.requested_by = 'agent' and ${within('e.created_at', p)}) as escalated_out,
      (select count(*)::int from escalations e where e.to_team_id = tm.id and e.from_team_id is distinct from tm.id and ${within('e.created_at', p)}) as escalated_in,
      (select count(*)::int from escalations e where e.from_team_id = tm.id and e.requested_by = 'customer' and ${within('e.created_at', p)}) as customer_requests
    from teams tm order by tm.name
  `);
  type AgentRow = { id: string; name: string; role: string; tier: number | null; escalations: number; solved: number; solved_at_l1: number; first_contact: number };
  type TeamRow = { id: string; name: string; tier: number | null; escalated_out: number; escalated_in: number; customer_requests: number };
  return {
    agents: (agents.rows as AgentRow[]).map((a) => ({
      id: a.id,
      name: a.name,
      role: a.role,
      tier: a.tier,
      escalations: Number(a.escalations),
      solved: Number(a.solved),
      solvedAtLevel1: Number(a.solved_at_l1),
      firstContactResolved: Number(a.first_contact),
      firstContactResolutionRate: Number(a.solved_at_l1) ? Number(a.first_contact) / Number(a.solved_at_l1) : null,
    })),
    teams: (teamsResult.rows as TeamRow[]).map((t) => ({
      id: t.id,
      name: t.name,
      tier: t.tier,
      escalatedOut: Number(t.escalated_out),
      escalatedIn: Number(t.escalated_in),
      customerRequests: Number(t.customer_requests),
    })),
  };
}

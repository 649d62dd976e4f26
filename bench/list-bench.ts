import { searchWords } from './corpus.js';
import type { BenchDesk } from './desk.js';
import type { LoadedDesk } from './load-tickets.js';
import { percentile, timed } from './stats.js';

export type ListResult = {
  name: string;
  url: string;
  rows: number;
  api: { p50: number; p95: number };
  sql: { p50: number; p95: number };
  /** API p95 ÷ hand-written SQL p95: the figure the target is set on. */
  ratioP95: number;
  ratioP50: number;
};

/** The page the API returns, written by hand: the same columns, joins, order and limit. */
const pageColumns = `t.id, t.number, t.subject, t.channel, t.status, t.priority, t.category, t.tags, t.team_id, t.assignee_id,
  t.requester_id, t.merged_into_id, t.version, t.message_count, t.last_message_at, t.first_response_at, t.solved_at,
  t.closed_at, t.created_at, t.updated_at, c.name as requester_name,
  (select e.email from customer_emails e where e.customer_id = t.requester_id order by e.created_at limit 1) as requester_email,
  a.name as assignee_name, tm.name as team_name, sla.metric as sla_metric, sla.due_at as sla_due_at, sla.warn_at as sla_warn_at, sla.state as sla_state`;
/** Each ticket's most urgent open SLA target, as the queue shows it (breached, then at risk, then soonest due). */
const nextTarget = `left join lateral (
    select s.metric, s.due_at, s.warn_at, x.state from ticket_sla_targets s,
      lateral (select case when s.state = 'breached' or (s.running_since is not null and s.due_at <= now()) then 'breached'
                           when s.running_since is null then 'paused'
                           when s.warned_at is not null or s.warn_at <= now() then 'at_risk' else 'active' end as state) x
    where s.ticket_id = t.id and s.state in ('active', 'paused', 'breached') and s.met_at is null
    order by case x.state when 'breached' then 0 when 'at_risk' then 1 else 2 end, s.due_at nulls last, s.metric limit 1) sla on true`;
const pageJoins = `join customers c on c.id = t.requester_id left join users a on a.id = t.assignee_id left join teams tm on tm.id = t.team_id ${nextTarget}`;
const pageOrder = `order by t.updated_at desc, t.id desc limit 26`;

type Case = { name: string; url: string; headers: Record<string, string>; sql: string; params: unknown[] };

async function cases(desk: BenchDesk, loaded: LoadedDesk): Promise<Case[]> {
  const admin = desk.adminHeaders;
  const team = loaded.teamIds[1];
  // An agent in two teams sees their own and their teams' tickets: the app looks the teams up per request.
  const [agent] = (
    await desk.raw.query(`select user_id, array_agg(team_id) as teams from team_members group by user_id having count(*) = 2 order by user_id limit 1`)
  ).rows;
  const agentHeaders = await desk.bearerFor(agent.user_id);
  // Each ticket's search document (subject and messages together, kept by triggers) against the
  // query normalised and parsed in every configuration, both by the schema's own SQL functions.
  const search = (word: string) => ({
    sql: `select ${pageColumns} from tickets t join ticket_search s on s.ticket_id = t.id ${pageJoins} where s.staff @@ search_query($1) ${pageOrder}`,
    params: [word],
  });
  return [
    { name: 'list, default sort', url: '/api/v1/tickets', headers: admin, sql: `select ${pageColumns} from tickets t ${pageJoins} ${pageOrder}`, params: [] },
    {
      name: 'list, status=open,pending',
      url: '/api/v1/tickets?status=open,pending',
      headers: admin,
      sql: `select ${pageColumns} from tickets t ${pageJoins} where t.status in ('open', 'pending') ${pageOrder}`,
      params: [],
    },
    { name: 'list, team filter', url: `/api/v1/tickets?teamId=${team}`, headers: admin, sql: `select ${pageColumns} from tickets t ${pageJoins} where t.team_id = $1 ${pageOrder}`, params: [team] },
    {
      name: 'list, agent scope (2 teams)',
      url: '/api/v1/tickets',
      headers: agentHeaders,
      sql: `select ${pageColumns} from tickets t ${pageJoins} where (t.assignee_id = $1 or t.team_id = any($2::uuid[])) ${pageOrder}`,
      params: [agent.user_id, agent.teams],
    },
    { name: `search en "${searchWords.en}"`, url: `/api/v1/tickets?q=${encodeURIComponent(searchWords.en)}`, headers: admin, ...search(searchWords.en) },
    { name: `search ar "${searchWords.ar}"`, url: `/api/v1/tickets?q=${encodeURIComponent(searchWords.ar)}`, headers: admin, ...search(searchWords.ar) },
    { name: `search ru "${searchWords.ru}"`, url: `/api/v1/tickets?q=${encodeURIComponent(searchWords.ru)}`, headers: admin, ...search(searchWords.ru) },
  ];
}

/** GET /api/v1/tickets against the hand-written query for the same page, alternating, after checking both return the same tickets. */
export async function listBench(desk: BenchDesk, loaded: LoadedDesk, iterations: number, log: (line: string) => void): Promise<ListResult[]> {
  const results: ListResult[] = [];
  for (const c of await cases(desk, loaded)) {
    const api = async () => {
      const res = await desk.server.app.inject({ method: 'GET', url: c.url, headers: c.headers });
      if (res.statusCode !== 200) throw new Error(`${c.url} answered ${res.statusCode}: ${res.body}`);
      return res;
    };
    const hand = () => desk.raw.query(c.sql, c.params);
    const apiIds = ((await api()).json().data as { id: string }[]).map((t) => t.id);
    const sqlIds = (await hand()).rows.slice(0, 25).map((r) => r.id as string);
    if (apiIds.join() !== sqlIds.join()) throw new Error(`${c.name}: the API and the hand-written query return different pages`);
    if (!apiIds.length) throw new Error(`${c.name}: the page is empty; the data set does not exercise this case`);
    for (let i = 0; i < 5; i++) {
      await api();
      await hand();
    }
    const apiMs: number[] = [];
    const sqlMs: number[] = [];
    for (let i = 0; i < iterations; i++) {
      // Alternate which side goes first so neither always follows the other's cache warm-up.
      if (i % 2) {
        apiMs.push(await timed(api));
        sqlMs.push(await timed(hand));
      } else {
        sqlMs.push(await timed(hand));
        apiMs.push(await timed(api));
      }
    }
    const r: ListResult = {
      name: c.name,
      url: c.url,
      rows: apiIds.length,
      api: { p50: percentile(apiMs, 50), p95: percentile(apiMs, 95) },
      sql: { p50: percentile(sqlMs, 50), p95: percentile(sqlMs, 95) },
      ratioP95: 0,
      ratioP50: 0,
    };
    r.ratioP95 = r.api.p95 / r.sql.p95;
    r.ratioP50 = r.api.p50 / r.sql.p50;
    results.push(r);
    log(`  ${c.name}: API p95 ${r.api.p95.toFixed(2)} ms, SQL p95 ${r.sql.p95.toFixed(2)} ms`);
  }
  return results;
}

import { conversations } from './corpus.js';
import type { BenchDesk } from './desk.js';

export type LoadedDesk = { tickets: number; messages: number; teamIds: string[]; agentIds: string[]; seconds: number };

const teamNames = ['Billing', 'Technical', 'Shipping', 'Accounts', 'IT Desk', 'Returns', 'Onboarding', 'Tier 2'];
const firstNames = ['Amal', 'Omar', 'Layla', 'Yusuf', 'Sara', 'Dmitry', 'Olga', 'Ivan', 'Maryam', 'Reza', 'Emma', 'James', 'Noor', 'Anna', 'Karim'];
const lastNames = ['Haddad', 'Nasser', 'Ivanova', 'Petrov', 'Karimi', 'Rahimi', 'Smith', 'Brown', 'Saleh', 'Orlov', 'Farouk', 'Moradi'];

/**
 * Fills the desk with `count` tickets and their conversations, generated inside the database in
 * batches (generate_series + multi-row INSERT … SELECT), so loading is bound by the database, not the wire.
 */
export async function loadTickets(desk: BenchDesk, count: number, log: (line: string) => void): Promise<LoadedDesk> {
  const { raw } = desk;
  const started = Date.now();
  const teamIds = (
    await raw.query(`insert into teams (name, tier) select n, case when n = 'Tier 2' then 2 else 1 end from unnest($1::text[]) n returning id`, [teamNames])
  ).rows.map((r) => r.id as string);
  const agentCount = 40;
  const agentIds = (
    await raw.query(
      `insert into users (email, name, role, tier, availability)
       select 'agent' || g || '@desk.test', ($1::text[])[1 + g % $3] || ' ' || ($2::text[])[1 + (g * 7) % $4], 'agent', 1, 'online'
       from generate_series(1, ${agentCount}) g returning id`,
      [firstNames, lastNames, firstNames.length, lastNames.length],
    )
  ).rows.map((r) => r.id as string);
  // Each agent works in one or two teams.
  await raw.query(
    `insert into team_members (team_id, user_id)
     select distinct ($1::uuid[])[1 + (i + k) % array_length($1::uuid[], 1)], a
     from unnest($2::uuid[]) with ordinality as x(a, i), generate_series(0, (i % 2)::int) k`,
    [teamIds, agentIds],
  );

  const customerCount = Math.max(50, Math.round(count / 5));
  await raw.query(
    `with c as (
       insert into customers (name, language)
       select ($1::text[])[1 + g % $3] || ' ' || ($2::text[])[1 + (g * 5) % $4], (array['en','ar','fa','ru'])[1 + g % 4]
       from generate_series(1, ${customerCount}) g
       returning id
     )
     insert into customer_emails (email, customer_id)
     select 'customer' || row_number() over () || '@example.com', id from c`,
    [firstNames, lastNames, firstNames.length, lastNames.length],
  );

  const pool = conversations(2000);
  await raw.query(`create table bench_conversations (i int primary key, subject text not null unique, bodies text[] not null)`);
  await raw.query(`insert into bench_conversations (i, subject, bodies) select i - 1, s, string_to_array(b, chr(31)) from unnest($1::text[], $2::text[]) with ordinality as x(s, b, i)`, [
    pool.map((c) => c.subject),
    pool.map((c) => c.bodies.join('\u001f')),
  ]);

  const batch = 5000;
  for (let from = 1; from <= count; from += batch) {
    const to = Math.min(count, from + batch - 1);
    await raw.query(
      `with cs as (select array_agg(id order by id) a from customers),
            ag as (select array_agg(id order by id) a from users where role = 'agent'),
            tm as (select $3::uuid[] a),
            g as (select g, now() - (random() * interval '365 days') as at from generate_series($1::int, $2::int) g)
       insert into tickets (subject, channel, status, priority, team_id, assignee_id, requester_id, message_count,
                            last_message_at, solved_at, closed_at, created_at, updated_at)
       select c.subject,
              (array['email','email','email','chat','portal','phone','api']::ticket_channel[])[1 + g % 7],
              s.status, (array['low','normal','normal','normal','high','urgent']::ticket_priority[])[1 + (g * 3) % 6],
              case when g % 10 = 0 then null else tm.a[1 + g % array_length(tm.a, 1)] end,
              case when s.status = 'new' then null else ag.a[1 + (g * 17) % array_length(ag.a, 1)] end,
              cs.a[1 + (g * 101) % array_length(cs.a, 1)],
              array_length(c.bodies, 1), g.at,
              case when s.status in ('solved', 'closed') then g.at end,
              case when s.status = 'closed' then g.at end,
              g.at - random() * interval '10 days', g.at
       from g
       cross join cs cross join ag cross join tm
       join bench_conversations c on c.i = (g.g * 7919) % ${pool.length}
       cross join lateral (select (array['new','new','open','open','open','open','open','pending','pending','pending',
                                         'on_hold','solved','solved','solved','solved','solved','closed','closed','closed','closed']::ticket_status[])[1 + (g.g * 31) % 20] as status) s`,
      [from, to, teamIds],
    );
    log(`  loaded ${to} / ${count} tickets`);
  }
  // Conversations: the customer writes, an agent answers (every fifth answer is an internal note), the customer replies.
  const [{ min, max }] = (await raw.query(`select min(number) as min, max(number) as max from tickets`)).rows;
  for (let from = Number(min); from <= Number(max); from += batch) {
    await raw.query(
      `insert into messages (ticket_id, internal, author_kind, author_user_id, author_customer_id, channel, body, created_at)
       select t.id, k = 2 and t.number % 5 = 0, case when k = 2 then 'agent' else 'customer' end::message_author_kind,
              case when k = 2 then coalesce(t.assignee_id, $3::uuid) end, case when k <> 2 then t.requester_id end,
              t.channel, c.bodies[k], t.created_at + k * interval '7 minutes'
       from tickets t
       join bench_conversations c on c.subject = t.subject
       cross join lateral generate_series(1, t.message_count) k
       where t.number >= $1 and t.number < $2`,
      [from, from + batch, agentIds[0]],
    );
  }
  // Promises on the tickets still open: a resolution target, and a first response where none was given.
  await raw.query(
    `insert into ticket_sla_targets (ticket_id, metric, state, target_seconds, business_hours, running_since, started_at, due_at, warn_at, breached_at)
     select t.id, m.metric, case when t.status = 'pending' then 'paused' when d.due < now() then 'breached' else 'active' end,
            m.seconds, true, case when t.status <> 'pending' then t.created_at end, t.created_at, d.due, d.due - m.seconds * interval '0.25 second',
            case when t.status <> 'pending' and d.due < now() then d.due end
     from tickets t
     cross join lateral (values ('first_response', 14400), ('resolution', 259200)) m(metric, seconds)
     cross join lateral (select t.created_at + m.seconds * interval '1 second' * (1 + (t.number % 40)) as due) d
     where t.status in ('new', 'open', 'pending', 'on_hold') and (m.metric = 'resolution' or t.status = 'new')`,
  );
  // The next due time the app keeps on each ticket for the "due first" sort, as the migration backfills it.
  await raw.query(
    `update tickets t set sla_due_at = s.due
     from (select ticket_id, min(due_at) as due from ticket_sla_targets
           where met_at is null and state in ('active', 'paused', 'breached') and due_at is not null group by ticket_id) s
     where s.ticket_id = t.id`,
  );
  await raw.query(`drop table bench_conversations`);
  await raw.query(`vacuum analyze`);
  const [{ tickets, messages }] = (await raw.query(`select (select count(*) from tickets) as tickets, (select count(*) from messages) as messages`)).rows;
  return { tickets: Number(tickets), messages: Number(messages), teamIds, agentIds, seconds: (Date.now() - started) / 1000 };
}

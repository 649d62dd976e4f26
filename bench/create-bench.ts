import { conversations } from './corpus.js';
import type { BenchDesk } from './desk.js';
import { median, timed } from './stats.js';

export type CreateResult = {
  rounds: number;
  opsPerRound: number;
  api: { medianMs: number; opsPerSec: number };
  raw: { medianMs: number; opsPerSec: number };
  /** API ops/s ÷ raw INSERT ops/s (medians over rounds). */
  ratio: number;
};

/**
 * POST /api/v1/tickets (Bearer API token, requester by email, a team, the first message) against a
 * raw single-row INSERT into the same tickets table, in alternating rounds, one request at a time.
 */
export async function createBench(desk: BenchDesk, rounds: number, opsPerRound: number, log: (line: string) => void): Promise<CreateResult> {
  const { raw } = desk;
  const pool = conversations(500);
  const [team] = (await raw.query(`insert into teams (name) values ('Bench intake') returning id`)).rows;
  const customers = (
    await raw.query(
      `with c as (insert into customers (name) select 'Requester ' || g from generate_series(1, 200) g returning id)
       insert into customer_emails (email, customer_id) select 'requester' || row_number() over () || '@example.org', id from c returning email, customer_id`,
    )
  ).rows as { email: string; customer_id: string }[];
  let n = 0;
  const api = async () => {
    const c = pool[n % pool.length];
    const who = customers[n++ % customers.length];
    const res = await desk.server.app.inject({
      method: 'POST',
      url: '/api/v1/tickets',
      headers: desk.adminHeaders,
      payload: { subject: c.subject, channel: 'api', body: c.bodies[0], requester: { email: who.email }, teamId: team.id, priority: 'normal' },
    });
    if (res.statusCode !== 201) throw new Error(`POST /tickets answered ${res.statusCode}: ${res.body}`);
  };
  const insert = async () => {
    const c = pool[n % pool.length];
    const who = customers[n++ % customers.length];
    await raw.query(
      `insert into tickets (subject, channel, status, priority, team_id, requester_id, message_count, last_message_at, created_at, updated_at)
       values ($1, 'api', 'new', 'normal', $2, $3, 1, now(), now(), now())`,
      [c.subject, team.id, who.customer_id],
    );
  };
  for (let i = 0; i < 30; i++) {
    await api();
    await insert();
  }
  const apiMs: number[] = [];
  const rawMs: number[] = [];
  const apiRate: number[] = [];
  const rawRate: number[] = [];
  const round = async (op: () => Promise<void>, ms: number[], rate: number[]) => {
    const start = process.hrtime.bigint();
    for (let i = 0; i < opsPerRound; i++) ms.push(await timed(op));
    rate.push(opsPerRound / (Number(process.hrtime.bigint() - start) / 1e9));
  };
  for (let r = 0; r < rounds; r++) {
    // Alternate the order so that background noise (autovacuum, checkpoints, other processes) hits both sides.
    if (r % 2) {
      await round(insert, rawMs, rawRate);
      await round(api, apiMs, apiRate);
    } else {
      await round(api, apiMs, apiRate);
      await round(insert, rawMs, rawRate);
    }
    log(`  round ${r + 1}/${rounds}: API ${apiRate[r].toFixed(0)} ops/s, raw ${rawRate[r].toFixed(0)} ops/s`);
  }
  const result: CreateResult = {
    rounds,
    opsPerRound,
    api: { medianMs: median(apiMs), opsPerSec: median(apiRate) },
    raw: { medianMs: median(rawMs), opsPerSec: median(rawRate) },
    ratio: 0,
  };
  result.ratio = result.api.opsPerSec / result.raw.opsPerSec;
  return result;
}

// Where does a request spend its time? Times every statement the app sends (PostgreSQL only).
// `npx tsx bench/profile.ts create|list`: the median request and the median of each statement.
import pg from 'pg';
import { openDesk } from './desk.js';
import { median } from './stats.js';

const spent = new Map<string, number[]>();
const original = pg.Client.prototype.query;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
(pg.Client.prototype as any).query = function (this: pg.Client, ...args: any[]) {
  const text: string = typeof args[0] === 'string' ? args[0] : (args[0]?.text ?? '?');
  const key = text.replace(/\s+/g, ' ').slice(0, 90);
  const start = process.hrtime.bigint();
  const record = () => {
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    spent.set(key, [...(spent.get(key) ?? []), ms]);
  };
  const last = args.length - 1;
  if (typeof args[last] === 'function') {
    const cb = args[last];
    args[last] = (...r: unknown[]) => {
      if (r[0]) console.error("query failed:", (r[0] as Error).message, key);
      record();
      return cb(...r);
    };
  }
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const result = (original as any).apply(this, args);
  if (result && typeof result.then === 'function') {
    result.then(record, (e: Error) => console.error("query failed:", e.message, key));
  }
  return result;
};

const desk = await openDesk('postgres');
const [team] = (await desk.raw.query(`insert into teams (name) values ('P') returning id`)).rows;
await desk.raw.query(`with c as (insert into customers (name) values ('R') returning id) insert into customer_emails (email, customer_id) select 'r@example.org', id from c`);
const mode = process.argv[2] ?? 'create';
if (mode === 'list') {
  await desk.raw.query(
    `insert into tickets (subject, channel, requester_id, team_id, updated_at)
     select 'Ticket ' || g, 'email', (select customer_id from customer_emails limit 1), $1, now() - g * interval '1 minute' from generate_series(1, 2000) g`,
    [team.id],
  );
}
const total: number[] = [];
const sqlTotal: number[] = [];
for (let i = 0; i < 300; i++) {
  if (i === 100) spent.clear();
  const start = process.hrtime.bigint();
  const res =
    mode === 'list'
      ? await desk.server.app.inject({ method: 'GET', url: '/api/v1/tickets', headers: desk.adminHeaders })
      : await desk.server.app.inject({
          method: 'POST',
          url: '/api/v1/tickets',
          headers: desk.adminHeaders,
          payload: { subject: `Printer offline ${i}`, channel: 'api', body: 'The printer on the third floor is offline again.', requester: { email: 'r@example.org' }, teamId: team.id },
        });
  if (i >= 100) total.push(Number(process.hrtime.bigint() - start) / 1e6);
  if (res.statusCode !== (mode === 'list' ? 200 : 201)) throw new Error(res.body);
  if (mode === 'list' && i >= 100) {
    const s0 = process.hrtime.bigint();
    await desk.raw.query(`select t.id, t.subject, c.name from tickets t join customers c on c.id = t.requester_id order by t.updated_at desc, t.id desc limit 26`);
    sqlTotal.push(Number(process.hrtime.bigint() - s0) / 1e6);
  }
}
if (sqlTotal.length) console.log(`hand-written list median ${median(sqlTotal).toFixed(2)} ms`);
console.log(`request median ${median(total).toFixed(2)} ms`);
for (const [k, v] of spent) console.log(`${(median(v)).toFixed(2).padStart(7)} ms  x${String(v.length).padStart(4)}  ${k}`);
await desk.close();

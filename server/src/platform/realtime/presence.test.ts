import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDesk, type Account, type TestDesk } from '../../../test/harness.js';
import { openSocket } from '../../../test/realtime-client.js';
import { RECHECK_SOON_MS } from './realtime.js';

let desk: TestDesk;
let admin: Account;
let wsUrl: string;
const sockets: { close(): void }[] = [];

beforeAll(async () => {
  desk = await startDesk();
  admin = await desk.as('admin');
  await desk.app.listen({ port: 0, host: '127.0.0.1' });
  wsUrl = `ws://127.0.0.1:${(desk.app.server.address() as AddressInfo).port}/api/v1/realtime`;
});
afterAll(async () => {
  for (const s of sockets) s.close();
  await desk?.close();
});

async function socketFor(account: Account) {
  const s = await openSocket(wsUrl, account.headers);
  sockets.push(s);
  return s;
}
type Presence = { kind: string; ticketId: string; user: { id: string; name: string } };
const presenceOf = (m: unknown) => (m as { presence?: Presence }).presence;

describe('presence on a ticket', () => {
  it('tells agents on the same ticket who else is viewing and typing, and who left', async () => {
    const team = await desk.team('Presence team');
    const a = await desk.as('agent', { teamIds: [team] });
    const b = await desk.as('agent', { teamIds: [team] });
    const created = await desk.request(admin, 'POST', '/api/v1/tickets', { subject: 'VPN', channel: 'chat', body: 'VPN is down', requester: { email: 'p@example.com' }, teamId: team });
    const ticketId = created.body.id as string;
    const other = await desk.request(admin, 'POST', '/api/v1/tickets', { subject: 'Printer', channel: 'chat', body: 'Printer jam', requester: { email: 'q@example.com' }, teamId: team });

    const sa = await socketFor(a);
    const sb = await socketFor(b);
    sa.ws.send(JSON.stringify({ kind: 'viewing', ticketId }));
    // B is on another ticket: it hears nothing about this one.
    sb.ws.send(JSON.stringify({ kind: 'viewing', ticketId: other.body.id }));
    sb.ws.send(JSON.stringify({ kind: 'viewing', ticketId }));
    const seen = await sa.next((m) => presenceOf(m)?.kind === 'viewing' && presenceOf(m)?.user.id === b.id);
    expect(presenceOf(seen)).toMatchObject({ ticketId, user: { id: b.id } });

    sb.ws.send(JSON.stringify({ kind: 'typing', ticketId }));
    await sa.next((m) => presenceOf(m)?.kind === 'typing' && presenceOf(m)?.user.id === b.id);

    sa.ws.send(JSON.stringify({ kind: 'typing', ticketId }));
    await sb.next((m) => presenceOf(m)?.kind === 'typing' && presenceOf(m)?.user.id === a.id);
    // Nobody is told about themselves.
    expect(sa.messages.some((m) => presenceOf(m)?.user.id === a.id)).toBe(false);

    sb.close();
    await sa.next((m) => presenceOf(m)?.kind === 'left' && presenceOf(m)?.user.id === b.id);
  });

  it('ignores tickets the agent may not see, customers, and malformed messages', async () => {
    const mine = await desk.team('Mine');
    const theirs = await desk.team('Theirs');
    const watcher = await desk.as('agent', { teamIds: [theirs] });
    const outsider = await desk.as('agent', { teamIds: [mine] });
    const created = await desk.request(admin, 'POST', '/api/v1/tickets', { subject: 'Secret', channel: 'chat', body: 'Hidden', requester: { email: 'r@example.com' }, teamId: theirs });
    const ticketId = created.body.id as string;

    const sw = await socketFor(watcher);
    const so = await socketFor(outsider);
    sw.ws.send(JSON.stringify({ kind: 'viewing', ticketId }));
    so.ws.send('{not json');
    so.ws.send(JSON.stringify({ kind: 'viewing', ticketId: 'not-a-uuid' }));
    // The outsider may not see the ticket: announcing or typing on it reaches nobody.
    so.ws.send(JSON.stringify({ kind: 'viewing', ticketId }));
    so.ws.send(JSON.stringify({ kind: 'typing', ticketId }));
    // An admin, who may see it, is heard: a barrier proving the earlier messages were processed.
    const sadmin = await socketFor(admin);
    const heard = sw.next((m) => presenceOf(m)?.user.id === admin.id);
    // Announced until heard, as the app's heartbeat does: on a busy database the watcher's own
    // announcement can still be on its way when the admin's first one is delivered.
    const announce = () => sadmin.ws.send(JSON.stringify({ kind: 'viewing', ticketId }));
    announce();
    const again = setInterval(announce, 500);
    await heard.finally(() => clearInterval(again));
    expect(sw.messages.some((m) => presenceOf(m)?.user.id === outsider.id)).toBe(false);
    // The outsider's socket still works after bad input.
    so.ws.send('ping');
    await so.next((m) => m.kind === 'pong');
  });

  it('an agent who loses sight of the ticket (moved out of its team, demoted, or the ticket moved) stops hearing and being heard on it', async () => {
    const team = await desk.team('Loses sight');
    const elsewhere = await desk.team('Elsewhere');
    const a = await desk.as('agent', { teamIds: [team, elsewhere] });
    const cases: { name: string; who: () => Promise<Account>; lose: (b: Account, ticketId: string) => Promise<{ status: number }>; recheck: boolean }[] = [
      { name: 'moved out of the team', who: () => desk.as('agent', { teamIds: [team] }), lose: () => desk.request(admin, 'PATCH', `/api/v1/teams/${team}`, { memberIds: [a.id] }), recheck: true },
      { name: 'supervisor made an agent', who: () => desk.as('supervisor'), lose: (b) => desk.request(admin, 'PATCH', `/api/v1/staff/${b.id}`, { role: 'agent' }), recheck: true },
      {
        name: 'ticket moved to a team they are not in',
        who: () => desk.as('agent', { teamIds: [team] }),
        lose: (_b, ticketId) => desk.request(admin, 'PATCH', `/api/v1/tickets/${ticketId}`, { teamId: elsewhere }),
        recheck: false,
      },
    ];
    for (const c of cases) {
      const b = await c.who();
      const created = await desk.request(admin, 'POST', '/api/v1/tickets', { subject: c.name, channel: 'chat', body: 'x', requester: { email: 'sight@example.com' }, teamId: team });
      const ticketId = created.body.id as string;
      const sa = await socketFor(a);
      const sb = await socketFor(b);
      const viewingBy = (who: Account) => (m: unknown) => presenceOf(m)?.kind === 'viewing' && presenceOf(m)?.user.id === who.id;
      sa.ws.send(JSON.stringify({ kind: 'viewing', ticketId }));
      sb.ws.send(JSON.stringify({ kind: 'viewing', ticketId }));
      // Each has it open before announcing it: once either hears the other, both have it open.
      await Promise.any([sa.next(viewingBy(b)), sb.next(viewingBy(a))]);

      // Sign-ins above asked for a session check soon; let it pass, so only the move itself can tell B's socket.
      if (!c.recheck) await new Promise((resolve) => setTimeout(resolve, RECHECK_SOON_MS + 300));
      expect((await c.lose(b, ticketId)).status, c.name).toBe(200);
      if (c.recheck) await desk.hub.recheck();
      // The others see them leave.
      await sa.next((m) => presenceOf(m)?.kind === 'left' && presenceOf(m)?.user.id === b.id);

      const heardBefore = sb.messages.length;
      sb.ws.send(JSON.stringify({ kind: 'typing', ticketId }));
      // An admin opens the ticket and hears A typing: a barrier after which B would have heard it too.
      const sadmin = await socketFor(admin);
      sadmin.ws.send(JSON.stringify({ kind: 'viewing', ticketId }));
      await sa.next(viewingBy(admin));
      sa.ws.send(JSON.stringify({ kind: 'typing', ticketId }));
      await sadmin.next((m) => presenceOf(m)?.kind === 'typing' && presenceOf(m)?.user.id === a.id);
      expect(sb.messages.slice(heardBefore).filter((m) => presenceOf(m)), c.name).toEqual([]);
      expect(sa.messages.some((m) => presenceOf(m)?.kind === 'typing' && presenceOf(m)?.user.id === b.id), c.name).toBe(false);
      for (const s of [sa, sb, sadmin]) s.close();
    }
  });
});


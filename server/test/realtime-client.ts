import WebSocket from 'ws';

export type Pushed = { kind: string; node?: string; event?: { type: string; ticketId: string; internal: boolean; data: Record<string, unknown> } };

/** A WebSocket client that keeps every message and can wait for one matching a predicate. */
export async function openSocket(url: string, headers: Record<string, string>) {
  const ws = new WebSocket(url, { headers });
  const messages: Pushed[] = [];
  const waiters = new Set<() => void>();
  ws.on('message', (raw) => {
    messages.push(JSON.parse(raw.toString()));
    for (const w of waiters) w();
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`refused with HTTP ${res.statusCode}`)));
  });
  /** Resolves with the first message (already received or coming) that matches; fails after a timeout. */
  const next = (match: (m: Pushed) => boolean, timeoutMs = 10_000) =>
    new Promise<Pushed>((resolve, reject) => {
      const check = () => {
        const found = messages.find(match);
        if (!found) return false;
        waiters.delete(check);
        clearTimeout(timer);
        resolve(found);
        return true;
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`no matching message within ${timeoutMs} ms; got ${JSON.stringify(messages.map((m) => m.event?.type ?? m.kind))}`));
      }, timeoutMs);
      if (!check()) waiters.add(check);
    });
  await next((m) => m.kind === 'hello');
  return { ws, messages, next, close: () => ws.close() };
}

/** Attempts a socket upgrade and reports the HTTP status it was refused with, or 101 if it opened. */
export function upgradeStatus(url: string, headers: Record<string, string>) {
  return new Promise<number>((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => {
      ws.close();
      resolve(101);
    });
    ws.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      res.resume();
    });
    ws.once('error', reject);
  });
}


import { useQueryClient } from '@tanstack/react-query';
import { createContext, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';

export type Presence = { kind: 'viewing' | 'typing' | 'left'; ticketId: string; user: { id: string; name: string } };
type PresenceListener = (p: Presence) => void;

type Realtime = {
  connected: boolean;
  send(message: object): void;
  onPresence(fn: PresenceListener): () => void;
};

const RealtimeContext = createContext<Realtime | null>(null);

/**
 * One WebSocket per tab. Ticket events invalidate the cached queries they touch (batched, so a
 * burst of events costs one refetch), presence messages go to whoever listens.
 */
export function RealtimeProvider({ children }: { children: ReactNode }) {
  const qc = useQueryClient();
  const [connected, setConnected] = useState(false);
  const socketRef = useRef<WebSocket | null>(null);
  const listeners = useRef(new Set<PresenceListener>());
  const pending = useRef<Set<string> | null>(null);
  const onOpenSends = useRef<object[]>([]);

  useEffect(() => {
    let stopped = false;
    let retry = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let ping: ReturnType<typeof setInterval> | undefined;

    const flush = () => {
      const ids = pending.current;
      pending.current = null;
      if (!ids) return;
      void qc.invalidateQueries({ queryKey: ['tickets'] });
      void qc.invalidateQueries({ queryKey: ['counts'] });
      for (const id of ids) {
        void qc.invalidateQueries({ queryKey: ['ticket', id] });
        void qc.invalidateQueries({ queryKey: ['timeline', id] });
      }
      void qc.invalidateQueries({ queryKey: ['customer-tickets'] });
    };

    const connect = () => {
      const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/v1/realtime`;
      const ws = new WebSocket(url);
      socketRef.current = ws;
      ws.onopen = () => {
        retry = 0;
        setConnected(true);
        for (const m of onOpenSends.current) ws.send(JSON.stringify(m));
        ping = setInterval(() => ws.readyState === ws.OPEN && ws.send('ping'), 25_000);
      };
      ws.onmessage = (e) => {
        let msg: { kind: string; event?: { ticketId: string }; presence?: Presence };
        try {
          msg = JSON.parse(String(e.data));
        } catch {
          return;
        }
        if (msg.kind === 'hello') {
          // The server listens from now on: catch up on anything missed before, or while disconnected.
          pending.current = new Set();
          flush();
        } else if (msg.kind === 'event' && msg.event) {
          if (!pending.current) {
            pending.current = new Set();
            setTimeout(flush, 150);
          }
          pending.current.add(msg.event.ticketId);
        } else if (msg.kind === 'presence' && msg.presence) {
          for (const l of listeners.current) l(msg.presence);
        }
      };
      ws.onclose = () => {
        clearInterval(ping);
        setConnected(false);
        socketRef.current = null;
        if (stopped) return;
        retry = Math.min(retry + 1, 6);
        timer = setTimeout(connect, 500 * 2 ** retry);
      };
    };
    connect();
    return () => {
      stopped = true;
      clearTimeout(timer);
      clearInterval(ping);
      socketRef.current?.close();
    };
  }, [qc]);

  const value = useMemo<Realtime>(() => ({
    connected,
    send(message) {
      // The latest "viewing" is replayed after a reconnect so presence survives it.
      if ((message as { kind?: string }).kind === 'viewing') onOpenSends.current = [message];
      const ws = socketRef.current;
      if (ws && ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
    },
    onPresence(fn) {
      listeners.current.add(fn);
      return () => {
        listeners.current.delete(fn);
      };
    },
  }), [connected]);
  return <RealtimeContext.Provider value={value}>{children}</RealtimeContext.Provider>;
}

export function useRealtime(): Realtime {
  const r = useContext(RealtimeContext);
  if (!r) throw new Error('useRealtime outside RealtimeProvider');
  return r;
}

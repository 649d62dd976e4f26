import { useCallback, useEffect, useRef, useState } from 'react';
import { useRealtime } from '../../app/realtime';

export type Viewer = { id: string; name: string; seenAt: number; typingAt: number };
const EXPIRE_MS = 50_000;
const TYPING_MS = 6_000;

/**
 * Who else has this ticket open, and who is typing. Each tab announces itself on open, every
 * 20 s, and again when it first hears of someone, so a newcomer learns about those already there.
 */
export function usePresence(ticketId: string, myId: string) {
  const rt = useRealtime();
  const viewers = useRef(new Map<string, Viewer>());
  const [, setTick] = useState(0);
  const rerender = () => setTick((n) => n + 1);
  const lastTyping = useRef(0);

  useEffect(() => {
    viewers.current.clear();
    rerender();
    const announce = () => rt.send({ kind: 'viewing', ticketId });
    announce();
    const heartbeat = setInterval(announce, 20_000);
    const sweep = setInterval(() => {
      const now = Date.now();
      let changed = false;
      for (const [id, v] of viewers.current) {
        if (now - v.seenAt > EXPIRE_MS) {
          viewers.current.delete(id);
          changed = true;
        }
      }
      if (changed) rerender();
      else if ([...viewers.current.values()].some((v) => v.typingAt && now - v.typingAt < TYPING_MS + 1500)) rerender();
    }, 1_000);
    const off = rt.onPresence((p) => {
      if (p.ticketId !== ticketId || p.user.id === myId) return;
      const now = Date.now();
      const known = viewers.current.get(p.user.id);
      if (p.kind === 'left') viewers.current.delete(p.user.id);
      else {
        viewers.current.set(p.user.id, {
          id: p.user.id,
          name: p.user.name,
          seenAt: now,
          typingAt: p.kind === 'typing' ? now : (known?.typingAt ?? 0),
        });
        if (!known) announce();
      }
      rerender();
    });
    return () => {
      off();
      clearInterval(heartbeat);
      clearInterval(sweep);
      rt.send({ kind: 'viewing', ticketId: null });
    };
    // Re-announce after a reconnect.
  }, [ticketId, myId, rt]);

  const typing = useCallback(() => {
    const now = Date.now();
    if (now - lastTyping.current < 2_000) return;
    lastTyping.current = now;
    rt.send({ kind: 'typing', ticketId });
  }, [rt, ticketId]);

  const list = [...viewers.current.values()];
  const now = Date.now();
  return { viewers: list, typers: list.filter((v) => v.typingAt && now - v.typingAt < TYPING_MS), typing };
}

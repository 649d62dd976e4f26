import type { AssignmentStrategy } from './dispatch.table.js';

export type Candidate = { id: string; load: number; skills: string[] };

/** Agents in a stable order, starting after the last one given a ticket. */
function rotation(candidates: Candidate[], lastId: string | null): Candidate[] {
  const sorted = [...candidates].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  if (!lastId) return sorted;
  const next = sorted.findIndex((c) => c.id > lastId);
  return next < 0 ? sorted : [...sorted.slice(next), ...sorted.slice(0, next)];
}

/**
 * Chooses the agent for a ticket among those eligible (online, under their cap). Ties always fall
 * to round-robin order, so equal agents take turns.
 */
export function pickAgent(strategy: AssignmentStrategy, candidates: Candidate[], lastId: string | null, wanted: string[]): Candidate | null {
  const order = rotation(candidates, lastId);
  if (!order.length) return null;
  if (strategy === 'round_robin') return order[0];
  const rank = new Map(order.map((c, i) => [c.id, i]));
  const score = (c: Candidate) => (strategy === 'skills' ? c.skills.filter((s) => wanted.includes(s.toLowerCase())).length : 0);
  return [...order].sort((a, b) => score(b) - score(a) || a.load - b.load || rank.get(a.id)! - rank.get(b.id)!)[0];
}

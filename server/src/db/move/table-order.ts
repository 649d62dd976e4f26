export type ForeignKey = { name: string; table: string; references: string };

/**
 * Tables in an order where every table comes after those it references, so rows can be copied
 * with their foreign keys checked as they go. A key that closes a loop (a table referencing
 * itself, or two referencing each other) cannot be satisfied by any order: it is returned in
 * `deferred`, to be checked at the end of the copy instead.
 */
export function orderTables(tables: string[], keys: ForeignKey[]): { order: string[]; deferred: ForeignKey[] } {
  const deferred = keys.filter((k) => k.table === k.references);
  const waiting = new Map(tables.map((t) => [t, new Set<string>()]));
  for (const k of keys) {
    if (k.table !== k.references && waiting.has(k.references)) waiting.get(k.table)?.add(k.references);
  }
  const order: string[] = [];
  while (waiting.size) {
    const ready = [...waiting].filter(([, needs]) => needs.size === 0).map(([t]) => t);
    // A loop between tables: break it at the first table by name, deferring its keys into the loop.
    const next = ready.length ? ready : [[...waiting.keys()].sort()[0]];
    for (const t of next.sort()) {
      for (const k of keys) if (k.table === t && k.table !== k.references && waiting.has(k.references) && k.references !== t) deferred.push(k);
      waiting.delete(t);
      order.push(t);
    }
    for (const needs of waiting.values()) for (const t of next) needs.delete(t);
  }
  return { order, deferred };
}

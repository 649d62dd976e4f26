/** Which version of each ticket this browser has looked at: a preference, so it lives in localStorage. */
const KEY = 'frontline.seen';
const MAX = 2000;

function read(): Record<string, string> {
  try {
    return JSON.parse(localStorage.getItem(KEY) ?? '{}');
  } catch {
    return {};
  }
}

export function isUnread(id: string, updatedAt: string) {
  const seen = read()[id];
  return !seen || seen < updatedAt;
}

export function markSeen(id: string, updatedAt: string) {
  const all = read();
  all[id] = updatedAt;
  const ids = Object.keys(all);
  if (ids.length > MAX) for (const old of ids.slice(0, ids.length - MAX)) delete all[old];
  localStorage.setItem(KEY, JSON.stringify(all));
}

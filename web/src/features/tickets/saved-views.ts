/** Personal saved views: a name and a queue address with its filters, kept as a preference. */
export type SavedView = { name: string; href: string };
const KEY = 'frontline.views';

export function loadViews(): SavedView[] {
  try {
    const v = JSON.parse(localStorage.getItem(KEY) ?? '[]');
    return Array.isArray(v) ? v.filter((x) => typeof x?.name === 'string' && typeof x?.href === 'string') : [];
  } catch {
    return [];
  }
}

export function saveViews(views: SavedView[]) {
  localStorage.setItem(KEY, JSON.stringify(views.slice(0, 50)));
}

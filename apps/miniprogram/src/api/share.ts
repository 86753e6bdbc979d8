// Sharing: a shared room or product page carries the sharer's user id (`sharer`), which app.ts keeps and the
// pages send along, so the server can attribute visits and orders to shares.
import { currentUser } from './auth';

export function sharePath(page: string, query: Record<string, string | number>): string {
  const me = currentUser();
  const q = { ...query, ...(me ? { sharer: me.id } : {}) };
  return `${page}?${Object.entries(q)
    .map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`)
    .join('&')}`;
}

export function shareQuery(query: Record<string, string | number>): string {
  return sharePath('', query).slice(1);
}

/** The sharer this visit came from, if any (kept by app.ts or the page's own query). */
export function sharer(): string | null {
  return (wx.getStorageSync('lm.sharer') as string) || null;
}

// Sharing: a shared room or product page carries the sharer's user id (`sharer`), which app.ts keeps and the
// pages send along, so the server can attribute visits and orders to shares.
import { currentUser, deviceId } from './auth';
import { api } from './http';

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

/**
 * An analytics beacon (POST /api/analytics/events) carrying the sharer of the page, so the server attributes the
 * visit, and the orders after it, to the share. Fire and forget: a failed beacon never bothers the shopper.
 */
export function track(type: 'room_enter' | 'page_view' | 'share', ids: { roomId?: number; productId?: number }): void {
  const from = sharer();
  const event = {
    type,
    at: Date.now(),
    ...ids,
    ...(from && /^[A-Za-z0-9_-]{1,64}$/.test(from) ? { sharer: from } : {}),
  };
  void api('POST', '/api/analytics/events', { body: { deviceId: deviceId(), events: [event] } }).catch(() => undefined);
}

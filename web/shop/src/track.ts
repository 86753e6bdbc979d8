// Analytics beacon: events queue in memory and go in batches (every 5 s, at 50 events, and when
// the page is hidden). The request carries the sign-in when there is one, which is how the
// server stitches this device's guest history to the user. Tracking never breaks the page.
import { useEffect } from 'react';
import { session } from './api.ts';

type EventType =
  | 'exposure'
  | 'page_view'
  | 'room_enter'
  | 'room_leave'
  | 'heartbeat'
  | 'product_click'
  | 'add_to_cart'
  | 'checkout_start'
  | 'share';
interface TrackedEvent {
  id: string;
  type: EventType;
  at: number;
  roomId?: number;
  productId?: number;
  seconds?: number;
}

const FLUSH_MS = 5000;
const FLUSH_AT = 50;
const HEARTBEAT_SEC = 15;
const queue: TrackedEvent[] = [];
let timer: ReturnType<typeof setTimeout> | undefined;
let counter = 0;

export function deviceId(): string {
  const key = 'lm.device';
  let id = localStorage.getItem(key);
  if (!id) {
    id = `d${Date.now().toString(36)}${Math.random().toString(36).slice(2, 12)}`;
    localStorage.setItem(key, id);
  }
  return id;
}

export function track(
  type: EventType,
  fields: { roomId?: number | null; productId?: number | null; seconds?: number } = {},
): void {
  const e: TrackedEvent = { id: `${Date.now().toString(36)}-${(counter++).toString(36)}`, type, at: Date.now() };
  if (fields.roomId) e.roomId = fields.roomId;
  if (fields.productId) e.productId = fields.productId;
  if (fields.seconds !== undefined) e.seconds = fields.seconds;
  queue.push(e);
  if (queue.length >= FLUSH_AT) flush();
  else timer ??= setTimeout(flush, FLUSH_MS);
}

export function flush(): void {
  if (timer) {
    clearTimeout(timer);
    timer = undefined;
  }
  if (queue.length === 0) return;
  const events = queue.splice(0, 100);
  const token = session.get()?.accessToken;
  void fetch('/api/analytics/events', {
    method: 'POST',
    keepalive: true,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ deviceId: deviceId(), events }),
  }).catch(() => undefined);
  if (queue.length > 0) timer = setTimeout(flush, FLUSH_MS);
}

if (typeof window !== 'undefined') {
  addEventListener('pagehide', flush);
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') flush();
  });
}

/** room_enter on open, a heartbeat every 15 s while the page is visible, room_leave on the way out. */
export function useRoomWatch(roomId: number, watching: boolean): void {
  useEffect(() => {
    if (!watching) return;
    track('room_enter', { roomId });
    let last = Date.now();
    const beat = () => {
      const seconds = Math.round((Date.now() - last) / 1000);
      last = Date.now();
      if (document.visibilityState === 'visible' && seconds > 0) track('heartbeat', { roomId, seconds });
    };
    const t = setInterval(beat, HEARTBEAT_SEC * 1000);
    return () => {
      clearInterval(t);
      beat();
      track('room_leave', { roomId });
      flush();
    };
  }, [roomId, watching]);
}

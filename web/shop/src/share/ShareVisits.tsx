// Opening a shop link with ?share=<token> records the visit (a room entry on a room page) for the
// sharer, once per token and page in this tab; signing in later hands this device's touches to the
// account (POST /api/me/share-visitor), which is how a guest's visit still counts for an order.
import { useEffect } from 'react';
import { useLocation } from 'react-router-dom';
import { api, session } from '../api.ts';
import { deviceId } from '../track.ts';

const SEEN = 'lm.share.seen';

function seen(key: string): boolean {
  const all = new Set<string>(JSON.parse(sessionStorage.getItem(SEEN) ?? '[]'));
  if (all.has(key)) return true;
  all.add(key);
  sessionStorage.setItem(SEEN, JSON.stringify([...all].slice(-50)));
  return false;
}

export function ShareVisits() {
  const loc = useLocation();
  useEffect(() => {
    const token = new URLSearchParams(loc.search).get('share');
    if (!token || !/^[A-Za-z0-9_-]{8,64}$/.test(token) || seen(`${token}|${loc.pathname}`)) return;
    const room = /^\/room\/(\d+)/.exec(loc.pathname);
    const body = { visitorKey: deviceId(), ...(room ? { roomId: Number(room[1]) } : {}) };
    // Attribution never gets in the shopper's way: a failed visit is simply not counted.
    void api.POST('/api/shares/{token}/visits', { params: { path: { token } }, body }).catch(() => undefined);
  }, [loc.pathname, loc.search]);
  useEffect(() => {
    let was = session.get()?.userId ?? null;
    return session.subscribe(() => {
      const now = session.get()?.userId ?? null;
      if (now !== null && now !== was) {
        void api.POST('/api/me/share-visitor', { body: { visitorKey: deviceId() } }).catch(() => undefined);
      }
      was = now;
    });
  }, []);
  return null;
}

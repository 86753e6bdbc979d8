// One API client for the app, with the signed-in session kept in localStorage. Access tokens are
// refreshed once on a 401 (rotation: the server issues a new refresh token each time).
import { createApi, unwrap, ApiFailure } from '@livemall/sdk';
import { useSyncExternalStore } from 'react';

export { unwrap, ApiFailure };
export { yuan } from '@livemall/sdk';

interface Session { accessToken: string; refreshToken: string; userId: number; nickname: string }
const KEY = 'lm.session';
const listeners = new Set<() => void>();
let current: Session | null = JSON.parse(localStorage.getItem(KEY) ?? 'null') as Session | null;

export const session = {
  get: () => current,
  set(s: Session | null) {
    current = s;
    if (s) localStorage.setItem(KEY, JSON.stringify(s)); else localStorage.removeItem(KEY);
    for (const f of listeners) f();
  },
};
export const useSession = () => useSyncExternalStore((f) => { listeners.add(f); return () => listeners.delete(f); }, () => current);

export const api = createApi({ token: () => current?.accessToken ?? null });

let refreshing: Promise<boolean> | null = null;
async function refresh(): Promise<boolean> {
  const s = current;
  if (!s) return false;
  refreshing ??= (async () => {
    const r = await api.POST('/api/auth/refresh', { body: { refreshToken: s.refreshToken } });
    if (!r.data) { session.set(null); return false; }
    session.set({ ...s, accessToken: r.data.accessToken, refreshToken: r.data.refreshToken });
    return true;
  })().finally(() => { refreshing = null; });
  return refreshing;
}

/** Run an API call; on an expired token refresh once and retry. Throws ApiFailure on errors. */
export async function call<T>(fn: () => Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  let r = await fn();
  if (r.response.status === 401 && current && (await refresh())) r = await fn();
  return unwrap(r);
}

export function errorText(e: unknown): string {
  return e instanceof ApiFailure ? e.error.message : e instanceof Error ? e.message : String(e);
}

// A signed-in session for a browser app: tokens in localStorage under the app's own key, one
// refresh (with rotation) on an expired access token, listeners for UI frameworks to subscribe.
import { createApi, unwrap, ApiFailure } from './index.ts';

export interface Session { accessToken: string; refreshToken: string; userId: number; nickname: string }

export function createSessionClient(storageKey: string) {
  const listeners = new Set<() => void>();
  let current: Session | null = JSON.parse(localStorage.getItem(storageKey) ?? 'null') as Session | null;
  const session = {
    get: () => current,
    set(s: Session | null) {
      current = s;
      if (s) localStorage.setItem(storageKey, JSON.stringify(s)); else localStorage.removeItem(storageKey);
      for (const f of listeners) f();
    },
    subscribe(f: () => void) { listeners.add(f); return () => { listeners.delete(f); }; },
  };
  const api = createApi({ token: () => current?.accessToken ?? null });

  let refreshing: Promise<boolean> | null = null;
  const refresh = (): Promise<boolean> => {
    const s = current;
    if (!s) return Promise.resolve(false);
    refreshing ??= (async () => {
      const r = await api.POST('/api/auth/refresh', { body: { refreshToken: s.refreshToken } });
      if (!r.data) { session.set(null); return false; }
      session.set({ ...s, accessToken: r.data.accessToken, refreshToken: r.data.refreshToken });
      return true;
    })().finally(() => { refreshing = null; });
    return refreshing;
  };

  /** Run an API call; on an expired token refresh once and retry. Throws ApiFailure on errors. */
  async function call<T>(fn: () => Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
    let r = await fn();
    if (r.response.status === 401 && current && (await refresh())) r = await fn();
    return unwrap(r);
  }

  return { api, session, call };
}

export function errorText(e: unknown): string {
  return e instanceof ApiFailure ? e.error.message : e instanceof Error ? e.message : String(e);
}

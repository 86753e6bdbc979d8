// A signed-in session for a browser app. The refresh token never reaches page scripts: the server
// keeps it in an HttpOnly cookie scoped to /api/auth. The access token lives in memory only; the
// app's localStorage key keeps who is signed in (id, nickname), so after a reload the first call
// waits for one refresh through the cookie. Refreshes are serialised across tabs (Web Locks),
// because two tabs presenting the same cookie at once would look like a stolen token.
import type { Middleware } from 'openapi-fetch';
import { createApi, failLoudly, unwrap, ApiFailure } from './index.ts';
import { translateError } from './errors.ts';

export interface Session {
  userId: number;
  nickname: string;
  accessToken: string | null;
}
type Stored = Pick<Session, 'userId' | 'nickname'>;

function load(storageKey: string): Session | null {
  try {
    const s = JSON.parse(localStorage.getItem(storageKey) ?? 'null') as Partial<Session> | null;
    if (!s || typeof s.userId !== 'number') return null;
    return { userId: s.userId, nickname: String(s.nickname ?? ''), accessToken: null };
  } catch {
    return null;
  }
}

/** Run `fn` while holding a lock every tab of this origin shares (plain call where Web Locks are missing). */
function exclusive<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const locks = (globalThis.navigator as Navigator | undefined)?.locks;
  return locks ? (locks.request(name, fn) as Promise<T>) : fn();
}

export function createSessionClient(storageKey: string) {
  const listeners = new Set<() => void>();
  let current = load(storageKey);
  const session = {
    get: () => current,
    set(s: Session | null) {
      current = s;
      const stored: Stored | null = s && { userId: s.userId, nickname: s.nickname };
      if (stored) localStorage.setItem(storageKey, JSON.stringify(stored));
      else localStorage.removeItem(storageKey);
      for (const f of listeners) f();
    },
    subscribe(f: () => void) {
      listeners.add(f);
      return () => {
        listeners.delete(f);
      };
    },
  };

  // Refresh and sign-out go through a client without the token hook (the hook waits for refreshes).
  const authApi = createApi();
  let refreshing: Promise<boolean> | null = null;
  const refresh = (): Promise<boolean> => {
    if (!current) return Promise.resolve(false);
    refreshing ??= exclusive(`${storageKey}.refresh`, async () => {
      const r = await authApi.POST('/api/auth/refresh', { body: {} });
      const s = current;
      if (!s) return false;
      if (r.data) {
        session.set({ ...s, accessToken: r.data.accessToken });
        return true;
      }
      // 401: the cookie is gone, expired or revoked; anything else (429, offline) is not a sign-out.
      if (r.response.status === 401) session.set(null);
      return false;
    })
      .catch(() => false)
      .finally(() => {
        refreshing = null;
      });
    return refreshing;
  };

  const token = async () => {
    if (current && !current.accessToken) await refresh();
    return current?.accessToken ?? null;
  };
  // An access token that expired in flight: refresh once through the cookie and send the request
  // again (a copy taken before it left, since a sent body cannot be read twice).
  const copies = new Map<string, Request>();
  const retryExpired: Middleware = {
    onRequest({ request, id }) {
      if (current) copies.set(id, request.clone());
      return undefined;
    },
    async onResponse({ response, id }) {
      const copy = copies.get(id);
      copies.delete(id);
      if (response.status !== 401 || !copy || !current || !(await refresh())) return undefined;
      copy.headers.set('authorization', `Bearer ${current.accessToken ?? ''}`);
      return fetch(copy);
    },
    onError({ id }) {
      copies.delete(id);
      return undefined;
    },
  };
  /** Answers as openapi-fetch gives them ({ data, error, response }). */
  const api = createApi({ token });
  api.use(retryExpired);
  /** The same calls, rejecting with ApiFailure on any non-2xx: what TanStack Query hooks run. */
  const strictApi = createApi({ token });
  strictApi.use(failLoudly, retryExpired);

  /** Run an API call; throws ApiFailure on errors (an expired token was already refreshed and retried). */
  async function call<T>(fn: () => Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
    return unwrap(await fn());
  }

  /** Sign out this browser: the server revokes the session of the cookie and clears it. */
  async function signOut(): Promise<void> {
    const token = current?.accessToken;
    session.set(null);
    const headers = token ? { authorization: `Bearer ${token}` } : undefined;
    await authApi.POST('/api/auth/logout', { body: {}, headers }).catch(() => undefined);
  }

  return { api, strictApi, session, call, refresh, signOut };
}

/** What the server asks a person to solve after failed sign-ins (CAPTCHA_REQUIRED / CAPTCHA_INVALID). */
export interface CaptchaChallenge {
  provider: string;
  challengeId: string;
  prompt: string;
}

export function captchaChallenge(e: unknown): CaptchaChallenge | null {
  if (!(e instanceof ApiFailure) || !['CAPTCHA_REQUIRED', 'CAPTCHA_INVALID'].includes(e.error.code)) return null;
  return (e.error.details as { captcha?: CaptchaChallenge } | undefined)?.captcha ?? null;
}

/** A failure in the reader's language (errors.ts: by its code, the server's message as fallback). */
export function errorText(e: unknown): string {
  return translateError(e);
}

// wx.request over the LiveMall REST API: JSON in and out, the bearer access token, and one refresh when it
// has expired. The mini-program has no cookies, so the refresh token travels in the body
// (POST /api/auth/refresh { refreshToken }) and is kept in wx storage with the access token.
import { config } from '../config';
import { errorMessage } from './errors';
import type { Tokens } from './types';

const TOKENS = 'lm.tokens';

/** A refused request: the server's stable error code and its message (or NETWORK when nothing answered). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function tokens(): Tokens | null {
  const t = wx.getStorageSync(TOKENS) as Tokens | '';
  return t || null;
}
export function saveTokens(t: Tokens | null): void {
  if (t) wx.setStorageSync(TOKENS, t);
  else wx.removeStorageSync(TOKENS);
}
export function accessToken(): string | null {
  return tokens()?.accessToken ?? null;
}

export interface RequestOptions {
  body?: unknown;
  query?: Record<string, string | number | boolean | undefined>;
  headers?: Record<string, string>;
}

interface Raw {
  status: number;
  data: unknown;
}

function send(method: string, path: string, o: RequestOptions, token: string | null): Promise<Raw> {
  const q = Object.entries(o.query ?? {})
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
    .join('&');
  const header: Record<string, string> = { ...(o.headers ?? {}) };
  if (o.body !== undefined) header['content-type'] ??= 'application/json';
  if (token) header.authorization = `Bearer ${token}`;
  return new Promise((resolve, reject) => {
    wx.request({
      url: `${config.apiBase}${path}${q ? `?${q}` : ''}`,
      method: method as 'GET',
      header,
      ...(o.body !== undefined ? { data: o.body as WechatMiniprogram.IAnyObject } : {}),
      dataType: 'json',
      success: (r) => resolve({ status: r.statusCode, data: r.data }),
      fail: (e) => reject(new ApiError(0, 'NETWORK', e.errMsg)),
    });
  });
}

function failure(r: Raw): ApiError {
  const e = (r.data as { error?: { code?: string; message?: string } } | null)?.error;
  return new ApiError(r.status, e?.code ?? `HTTP_${r.status}`, e?.message ?? `HTTP ${r.status}`);
}

let refreshing: Promise<boolean> | null = null;
/** Spend the refresh token for a new pair (once at a time); false: sign in again. */
export function refresh(): Promise<boolean> {
  refreshing ??= (async () => {
    const rt = tokens()?.refreshToken;
    if (!rt) return false;
    const r = await send('POST', '/api/auth/refresh', { body: { refreshToken: rt } }, null).catch(() => null);
    if (r?.status !== 200) {
      // Refused (spent, revoked, expired): sign in again. A network failure or 5xx keeps the pair for later.
      if (r !== null && r.status < 500) saveTokens(null);
      return false;
    }
    saveTokens(r.data as Tokens);
    return true;
  })().finally(() => {
    refreshing = null;
  });
  return refreshing;
}

/** Call the API; an expired access token is refreshed once and the call repeated. */
export async function api<T = unknown>(method: string, path: string, o: RequestOptions = {}): Promise<T> {
  let r = await send(method, path, o, accessToken());
  if (r.status === 401 && failure(r).code === 'TOKEN_EXPIRED' && (await refresh())) {
    r = await send(method, path, o, accessToken());
  }
  if (r.status >= 200 && r.status < 300) return r.data as T;
  throw failure(r);
}

/**
 * A user-facing text for a failure: anything with a server error code (a refused request, a socket frame's
 * error) by that code in Chinese (see ./errors); our own Chinese texts as they are; a wx API's or the socket's
 * English errMsg never reaches the shopper.
 */
export function errorText(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return errorMessage(code);
  const m = e instanceof Error ? e.message : String(e);
  if (/[\u4e00-\u9fff]/.test(m)) return m;
  return errorMessage(/disconnected|not connected|timeout|request:fail/.test(m) ? 'NETWORK' : undefined);
}

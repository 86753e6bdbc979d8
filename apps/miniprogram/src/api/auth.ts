// Sign-in: wx.login() gives a one-time code, POST /api/auth/wechat exchanges it (code2session on the server)
// for the shopper's account and a token pair (refresh token in the body). Phone binding goes through the
// getPhoneNumber button's code (POST /api/wechat/phone, docs/miniprogram-api.md).
import { api, saveTokens, tokens } from './http';
import type { Tokens, User } from './types';

const USER = 'lm.user';

export function currentUser(): User | null {
  const u = wx.getStorageSync(USER) as User | '';
  return u && tokens() ? u : null;
}

let sandboxed: Promise<boolean> | null = null;
/** Whether the server answers WeChat's calls itself (GET /api/wechat/config; demo deployments without an AppID). */
function sandbox(): Promise<boolean> {
  sandboxed ??= api<{ sandbox: boolean }>('GET', '/api/wechat/config')
    .then((c) => c.sandbox)
    .catch(() => false);
  return sandboxed;
}

/** This device's stable id: analytics beacons, and the sandbox's `sandbox:<id>` login codes (same demo user). */
export function deviceId(): string {
  let d = wx.getStorageSync('lm.device') as string;
  if (!d) {
    d = `mp${Date.now().toString(36)}${Math.floor(Math.random() * 1e8).toString(36)}`;
    wx.setStorageSync('lm.device', d);
  }
  return d;
}

function wxLoginCode(): Promise<string> {
  return new Promise((resolve, reject) => {
    wx.login({
      success: (r) => (r.code ? resolve(r.code) : reject(new Error(r.errMsg))),
      fail: (e) => reject(new Error(e.errMsg)),
    });
  });
}

/** Sign in with WeChat (the stored session if there is one). */
export async function signIn(force = false): Promise<User> {
  const known = currentUser();
  if (known && !force) return known;
  // The sandbox cannot exchange a real wx.login code: it takes `sandbox:<name>` instead (docs/miniprogram-api.md).
  const code = (await sandbox()) ? `sandbox:${deviceId()}` : await wxLoginCode();
  const r = await api<{ user: User; tokens: Tokens; created: boolean }>('POST', '/api/auth/wechat', { body: { code } });
  saveTokens(r.tokens);
  wx.setStorageSync(USER, r.user);
  return r.user;
}

/** Demo deployments without a WeChat AppID: sign in with phone and password (refresh token in the body). */
export async function signInWithPassword(phone: string, password: string): Promise<User> {
  const r = await api<{ user: User; tokens: Tokens }>('POST', '/api/auth/login', {
    body: { phone, password, refreshTokenIn: 'body' },
  });
  saveTokens(r.tokens);
  wx.setStorageSync(USER, r.user);
  return r.user;
}

/** Bind the phone number from `<button open-type="getPhoneNumber">`'s e.detail.code. */
export async function bindPhone(code: string): Promise<User> {
  const r = await api<{ user: User }>('POST', '/api/wechat/phone', { body: { code } });
  wx.setStorageSync(USER, r.user);
  return r.user;
}

/** Forget what was learned about the deployment (tests, or after switching servers). */
export function resetDeployment(): void {
  sandboxed = null;
}

export async function signOut(): Promise<void> {
  const rt = tokens()?.refreshToken;
  if (rt) await api('POST', '/api/auth/logout', { body: { refreshToken: rt } }).catch(() => undefined);
  saveTokens(null);
  wx.removeStorageSync(USER);
}

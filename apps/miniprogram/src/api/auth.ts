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

function loginCode(): Promise<string> {
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
  const code = await loginCode();
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

export async function signOut(): Promise<void> {
  const rt = tokens()?.refreshToken;
  if (rt) await api('POST', '/api/auth/logout', { body: { refreshToken: rt } }).catch(() => undefined);
  saveTokens(null);
  wx.removeStorageSync(USER);
}

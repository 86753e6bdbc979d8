// WeChat mini-program login: exchanges the wx.login() code for an openid via code2session.
// The base URL is configurable so tests (and private gateways) can point it elsewhere.
import { AppError, badRequest } from '../../platform/errors.ts';

export interface WechatSession {
  openid: string;
  unionid?: string;
  sessionKey: string;
}

export interface WechatAuthAdapter {
  code2session(code: string): Promise<WechatSession>;
}

interface Code2SessionResponse {
  openid?: string;
  session_key?: string;
  unionid?: string;
  errcode?: number;
  errmsg?: string;
}

export class WechatMiniProgramAuth implements WechatAuthAdapter {
  constructor(
    private readonly opts: {
      appId?: string | undefined;
      appSecret?: string | undefined;
      apiBase: string;
      timeoutMs?: number;
    },
  ) {}

  async code2session(code: string): Promise<WechatSession> {
    if (!this.opts.appId || !this.opts.appSecret) {
      // Not offered by this deployment: the client's request cannot succeed here (a 4xx, like an
      // unconfigured payment provider), not a server fault to retry.
      throw new AppError(
        422,
        'WECHAT_NOT_CONFIGURED',
        'WeChat login is not configured (WECHAT_APP_ID / WECHAT_APP_SECRET)',
      );
    }
    const url = new URL('/sns/jscode2session', this.opts.apiBase);
    url.search = new URLSearchParams({
      appid: this.opts.appId,
      secret: this.opts.appSecret,
      js_code: code,
      grant_type: 'authorization_code',
    }).toString();
    let body: Code2SessionResponse;
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(this.opts.timeoutMs ?? 5000) });
      body = (await res.json()) as Code2SessionResponse;
    } catch (err) {
      throw new AppError(
        502,
        'WECHAT_UNAVAILABLE',
        `WeChat did not answer: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
    if (body.errcode) {
      // 40029 invalid code, 40163 code already used, 45011 rate limited: all the client's to fix or retry.
      if (body.errcode === 40029 || body.errcode === 40163)
        throw badRequest('WECHAT_CODE_INVALID', `WeChat rejected the code (${body.errcode}: ${body.errmsg ?? ''})`);
      if (body.errcode === 45011)
        throw new AppError(429, 'WECHAT_RATE_LIMITED', 'WeChat rate limit reached; try again shortly');
      throw new AppError(502, 'WECHAT_ERROR', `WeChat error ${body.errcode}: ${body.errmsg ?? ''}`);
    }
    if (!body.openid || !body.session_key) throw new AppError(502, 'WECHAT_ERROR', 'WeChat answered without an openid');
    return { openid: body.openid, sessionKey: body.session_key, ...(body.unionid ? { unionid: body.unionid } : {}) };
  }
}

/**
 * The sandbox (WECHAT_SANDBOX, no app secret): the code `sandbox:<name>` signs in as the openid
 * `osandbox_<name>`, the same user every time, so the demo and tests sign in without WeChat.
 */
export class SandboxWechatAuth implements WechatAuthAdapter {
  async code2session(code: string): Promise<WechatSession> {
    const m = /^sandbox:([A-Za-z0-9_-]{1,32})$/.exec(code);
    if (!m) throw badRequest('WECHAT_CODE_INVALID', 'Sandbox sign-in codes look like sandbox:alice');
    return { openid: `osandbox_${m[1]}`, sessionKey: 'sandbox' };
  }
}

// WeChat's server APIs the mini-program needs beyond login, behind one interface: the real one
// (api.weixin.qq.com, with the shared access token) and a sandbox that answers locally, so the
// product runs and is tested without a WeChat account.
//   phone:     POST /wxa/business/getuserphonenumber?access_token=  { code }
//   security:  POST /wxa/msg_sec_check?access_token=  { content, version: 2, scene, openid }
//   subscribe: POST /cgi-bin/message/subscribe/send?access_token=  { touser, template_id, page, data, ... }
//   wxacode:   POST /wxa/getwxacodeunlimit?access_token=  { scene, page, ... } → image bytes (wxacode.ts)
// WeChat answers HTTP 200 with errcode/errmsg; errcode 0 (or none) is success.
import type { Cache } from '../../platform/cache/cache.ts';
import { AppError, badRequest } from '../../platform/errors.ts';
import { SharedAccessToken, type TokenGrant } from './access-token.ts';
import {
  checkWxaCode,
  readWxaCodeAnswer,
  sandboxWxaCode,
  type WxaCodeImage,
  type WxaCodeRequest,
  wxaCodeBody,
  wxaCodeError,
} from './wxacode.ts';

export type SecScene = 1 | 2 | 3 | 4; // 资料 (profile), 评论 (comment), 论坛 (forum), 社交日志 (social log)
export type Suggest = 'pass' | 'review' | 'risky';

export interface SubscribeMessage {
  touser: string;
  template_id: string;
  page: string;
  data: Record<string, { value: string }>;
  miniprogram_state: 'formal' | 'trial' | 'developer';
  lang: 'zh_CN';
}

export interface WechatPlatform {
  readonly sandbox: boolean;
  /** The purePhoneNumber of a getPhoneNumber button code. */
  phoneNumber(code: string): Promise<string>;
  msgSecCheck(input: {
    openid: string;
    scene: SecScene;
    content: string;
  }): Promise<{ suggest: Suggest; label: number }>;
  /** Throws WechatApiError on an errcode. */
  sendSubscribe(msg: SubscribeMessage): Promise<void>;
  /** A 小程序码 (wxacode.getUnlimited) that opens `page` with `scene`. */
  wxaCodeUnlimited(req: WxaCodeRequest): Promise<WxaCodeImage>;
}

export class WechatApiError extends Error {
  constructor(
    readonly errcode: number,
    readonly errmsg: string,
  ) {
    super(`WeChat error ${errcode}: ${errmsg}`);
  }
}

/** errcodes of subscribe/send that sending again cannot fix: no grant (43101), bad template data, bad openid. */
export const PERMANENT_SEND_ERRCODES = new Set([43101, 47003, 40003, 40037, 41030]);

interface WxAnswer {
  errcode?: number;
  errmsg?: string;
}

export class RealWechatApi implements WechatPlatform {
  readonly sandbox = false;
  readonly token: SharedAccessToken;

  constructor(
    cache: Cache,
    private readonly opts: {
      appId: string;
      appSecret: string;
      apiBase: string;
      tokenMode: 'stable' | 'classic';
      timeoutMs?: number;
    },
  ) {
    this.token = new SharedAccessToken(cache, opts.appId, (force) => this.fetchToken(force));
  }

  private async http<T>(
    path: string,
    init: { method: 'GET' | 'POST'; query?: Record<string, string>; body?: unknown },
  ): Promise<T> {
    const url = new URL(path, this.opts.apiBase);
    if (init.query) url.search = new URLSearchParams(init.query).toString();
    try {
      const res = await fetch(url, {
        method: init.method,
        signal: AbortSignal.timeout(this.opts.timeoutMs ?? 5000),
        ...(init.body !== undefined
          ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(init.body) }
          : {}),
      });
      return (await res.json()) as T;
    } catch (err) {
      throw new AppError(
        502,
        'WECHAT_UNAVAILABLE',
        `WeChat did not answer: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
  }

  private async fetchToken(force: boolean): Promise<TokenGrant> {
    type T = WxAnswer & { access_token?: string; expires_in?: number };
    const { appId, appSecret } = this.opts;
    const body =
      this.opts.tokenMode === 'stable'
        ? await this.http<T>('/cgi-bin/stable_token', {
            method: 'POST',
            body: { grant_type: 'client_credential', appid: appId, secret: appSecret, force_refresh: force },
          })
        : await this.http<T>('/cgi-bin/token', {
            method: 'GET',
            query: { grant_type: 'client_credential', appid: appId, secret: appSecret },
          });
    if (body.errcode || !body.access_token) {
      throw new AppError(
        502,
        'WECHAT_ERROR',
        `WeChat refused the access token: ${body.errcode ?? ''} ${body.errmsg ?? ''}`,
      );
    }
    return { token: body.access_token, expiresInSec: body.expires_in ?? 7200 };
  }

  private post<T extends WxAnswer>(path: string, body: unknown): Promise<T> {
    return this.token.withToken((t) => this.http<T>(path, { method: 'POST', query: { access_token: t }, body }));
  }

  async phoneNumber(code: string): Promise<string> {
    type T = WxAnswer & {
      phone_info?: { purePhoneNumber?: string; countryCode?: string; watermark?: { appid?: string } };
    };
    const r = await this.post<T>('/wxa/business/getuserphonenumber', { code });
    if (r.errcode === 40029 || r.errcode === 40163)
      throw badRequest('WECHAT_CODE_INVALID', `WeChat rejected the code (${r.errcode})`);
    if (r.errcode === 45011)
      throw new AppError(429, 'WECHAT_RATE_LIMITED', 'WeChat rate limit reached; try again shortly');
    if (r.errcode) throw new AppError(502, 'WECHAT_ERROR', `WeChat error ${r.errcode}: ${r.errmsg ?? ''}`);
    const info = r.phone_info;
    if (!info?.purePhoneNumber || info.watermark?.appid !== this.opts.appId) {
      throw new AppError(502, 'WECHAT_ERROR', 'WeChat answered without a phone number for this app');
    }
    if (info.countryCode && info.countryCode !== '86')
      throw new AppError(422, 'PHONE_INVALID', 'Only mainland mobile numbers can be bound');
    return info.purePhoneNumber;
  }

  async msgSecCheck(input: { openid: string; scene: SecScene; content: string }) {
    type T = WxAnswer & { result?: { suggest?: Suggest; label?: number } };
    const r = await this.post<T>('/wxa/msg_sec_check', {
      content: input.content,
      version: 2,
      scene: input.scene,
      openid: input.openid,
    });
    if (r.errcode) throw new WechatApiError(r.errcode, r.errmsg ?? '');
    const suggest = r.result?.suggest;
    if (suggest !== 'pass' && suggest !== 'review' && suggest !== 'risky')
      throw new WechatApiError(-1, 'msg_sec_check without a result');
    return { suggest, label: r.result?.label ?? 100 };
  }

  async sendSubscribe(msg: SubscribeMessage): Promise<void> {
    const r = await this.post<WxAnswer>('/cgi-bin/message/subscribe/send', msg);
    if (r.errcode) throw new WechatApiError(r.errcode, r.errmsg ?? '');
  }

  async wxaCodeUnlimited(req: WxaCodeRequest): Promise<WxaCodeImage> {
    checkWxaCode(req);
    const r = await this.token.withToken(async (t) => {
      const url = new URL('/wxa/getwxacodeunlimit', this.opts.apiBase);
      url.search = new URLSearchParams({ access_token: t }).toString();
      try {
        const res = await fetch(url, {
          method: 'POST',
          signal: AbortSignal.timeout(this.opts.timeoutMs ?? 5000),
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(wxaCodeBody(req)),
        });
        return await readWxaCodeAnswer(res);
      } catch (err) {
        throw new AppError(502, 'WECHAT_UNAVAILABLE', `WeChat did not answer: ${(err as Error).message}`);
      }
    });
    if (!r.image) throw wxaCodeError(r.errcode ?? -1, r.errmsg ?? '');
    return r.image;
  }
}

/** Words the sandbox's msgSecCheck marks (a stand-in for WeChat's own models). */
export const SANDBOX_LEXICON: Record<Exclude<Suggest, 'pass'>, string[]> = {
  risky: ['赌博', '毒品', '代开发票', 'sandbox-risky'],
  review: ['加微信', 'sandbox-review'],
};

/** Answers locally; records what it would have sent so tests (and the demo) can read it. */
export class SandboxWechatApi implements WechatPlatform {
  readonly sandbox = true;
  readonly sent: SubscribeMessage[] = [];
  readonly checked: Array<{ openid: string; scene: SecScene; content: string; suggest: Suggest }> = [];

  async phoneNumber(code: string): Promise<string> {
    const m = /^sandbox:(1[3-9]\d{9})$/.exec(code);
    if (!m) throw badRequest('WECHAT_CODE_INVALID', 'Sandbox phone codes look like sandbox:13800138000');
    return m[1]!;
  }

  async msgSecCheck(input: { openid: string; scene: SecScene; content: string }) {
    const text = input.content.toLowerCase();
    const suggest: Suggest = SANDBOX_LEXICON.risky.some((w) => text.includes(w))
      ? 'risky'
      : SANDBOX_LEXICON.review.some((w) => text.includes(w))
        ? 'review'
        : 'pass';
    this.checked.push({ ...input, suggest });
    return { suggest, label: suggest === 'pass' ? 100 : 20001 };
  }

  async sendSubscribe(msg: SubscribeMessage): Promise<void> {
    if (!msg.touser) throw new WechatApiError(40003, 'invalid openid');
    this.sent.push(msg);
  }

  async wxaCodeUnlimited(req: WxaCodeRequest): Promise<WxaCodeImage> {
    checkWxaCode(req);
    return sandboxWxaCode(req);
  }
}

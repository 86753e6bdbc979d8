// WeChat content security (msgSecCheck v2) for chat and nicknames, after our own word lists.
// Latency: only users who signed in with WeChat are checked (the check needs their openid), only
// when WECHAT_MSG_SEC_CHECK=wechat (the default); verdicts are cached per scene and text for 10
// minutes in the shared cache; the call has an 800 ms budget in chat, and a WeChat failure or
// timeout lets the message through (our word lists already ran). risky blocks like a blocked word
// (CHAT_BLOCKED), review holds the message for staff like a review word; reviews are logged.
import crypto from 'node:crypto';
import type { AppContext } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import type { SecScene, Suggest, WechatPlatform } from './api.ts';

const VERDICT_TTL_MS = 10 * 60_000;
const CHAT_BUDGET_MS = 800;
const OPENID_TTL_MS = 5 * 60_000;

export class ContentSecurity {
  private readonly openids = new Map<number, { at: number; openid: string | null }>();

  constructor(
    private readonly ctx: AppContext,
    private readonly api: () => WechatPlatform,
  ) {}

  private off = false;

  get enabled(): boolean {
    return !this.off && this.ctx.config.wechat.msgSecCheck !== 'off';
  }

  /** Neither the real API nor the sandbox is set up: nothing to ask. */
  disable(): void {
    this.off = true;
  }

  private async openidOf(userId: number): Promise<string | null> {
    const hit = this.openids.get(userId);
    if (hit && Date.now() - hit.at < OPENID_TTL_MS) return hit.openid;
    const openid = (await this.ctx.services.directory.wechatOpenids([userId])).get(userId) ?? null;
    if (this.openids.size > 10_000) this.openids.clear();
    this.openids.set(userId, { at: Date.now(), openid });
    return openid;
  }

  /** The verdict, or null when the user is not checked (no openid, off) or WeChat did not answer in time. */
  async check(userId: number, scene: SecScene, content: string, budgetMs?: number): Promise<Suggest | null> {
    if (!this.enabled) return null;
    const openid = await this.openidOf(userId);
    if (!openid) return null;
    const key = `wechat:sec:${scene}:${crypto.createHash('sha256').update(content).digest('base64url')}`;
    const cached = await this.ctx.cache.get(key);
    if (cached === 'pass' || cached === 'review' || cached === 'risky') return cached;
    const call = this.api().msgSecCheck({ openid, scene, content });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), budgetMs ?? 5000);
    });
    try {
      const r = await Promise.race([call, timeout]);
      if (!r) {
        this.ctx.log.warn({ scene }, 'msgSecCheck timed out; allowed');
        return null;
      }
      await this.ctx.cache.set(key, r.suggest, { ttlMs: VERDICT_TTL_MS });
      if (r.suggest !== 'pass')
        this.ctx.log.info({ userId, scene, suggest: r.suggest, label: r.label }, 'msgSecCheck flagged content');
      return r.suggest;
    } catch (err) {
      this.ctx.log.warn(
        { scene, err: err instanceof Error ? err.message : String(err) },
        'msgSecCheck failed; allowed',
      );
      return null;
    } finally {
      clearTimeout(timer);
      call.catch(() => undefined);
    }
  }

  /** For the chat service's external moderation hook: 评论 scene. */
  async chatVerdict(userId: number, text: string): Promise<'allow' | 'block' | 'review'> {
    const s = await this.check(userId, 2, text, CHAT_BUDGET_MS);
    return s === 'risky' ? 'block' : s === 'review' ? 'review' : 'allow';
  }

  /** PATCH /api/me: a risky nickname is refused (资料 scene); review keeps it and is logged. */
  async checkNickname(userId: number, nickname: string): Promise<void> {
    if ((await this.check(userId, 1, nickname)) === 'risky') {
      throw new AppError(422, 'NICKNAME_RISKY', "This nickname did not pass WeChat's content check");
    }
  }
}

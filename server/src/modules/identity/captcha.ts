// The step-up check a client must pass once sign-in failures pile up, instead of the owner being
// locked out. A deployment plugs a real provider in (Tencent Captcha, GeeTest: the client shows the
// widget and sends its ticket back as `captcha`); the sandbox below proves the flow in tests and
// the demo, and offers no protection against a bot, since it hands the answer to the client.
import crypto from 'node:crypto';
import type { Cache, CacheScript } from '../../platform/cache/cache.ts';

/** What the client must present to the person; sent in the CAPTCHA_REQUIRED error's details. */
export interface CaptchaChallenge {
  provider: string;
  /** The provider's challenge id: echoed back as the first half of the answer (`<challengeId>:<answer>`). */
  challengeId: string;
  prompt: string;
  /** Sandbox only: the answer itself, so tests and the demo can pass. */
  sandboxAnswer?: string;
}

export interface CaptchaProvider {
  readonly name: string;
  issue(purpose: string): Promise<CaptchaChallenge>;
  /** True once for a correct, unexpired answer; a second use of the same answer is false. */
  verify(purpose: string, response: string): Promise<boolean>;
}

// GET and DEL in one step: an answer can be spent once, even by two nodes at the same moment.
const TAKE: CacheScript<string | null> = {
  name: 'captcha_take',
  lua: `
local v = redis.call('GET', KEYS[1])
if v then redis.call('DEL', KEYS[1]) end
return v`,
  local: (store, keys) => {
    const v = store.get(keys[0]!);
    if (v !== null) store.del(keys[0]!);
    return v;
  },
};

const TTL_MS = 5 * 60_000;
const sha = (s: string) => crypto.createHash('sha256').update(s).digest('hex');

export class SandboxCaptcha implements CaptchaProvider {
  readonly name = 'sandbox';
  constructor(private readonly cache: Cache) {}

  async issue(purpose: string): Promise<CaptchaChallenge> {
    const challengeId = crypto.randomBytes(12).toString('base64url');
    const answer = String(crypto.randomInt(0, 10_000)).padStart(4, '0');
    await this.cache.set(this.key(purpose, challengeId), sha(answer), { ttlMs: TTL_MS });
    return { provider: this.name, challengeId, prompt: `Type the digits ${answer}`, sandboxAnswer: answer };
  }

  async verify(purpose: string, response: string): Promise<boolean> {
    const [challengeId, answer] = response.split(':');
    if (!challengeId || !answer || !/^[A-Za-z0-9_-]{1,40}$/.test(challengeId)) return false;
    const expected = await this.cache.run(TAKE, [this.key(purpose, challengeId)], []);
    return expected !== null && expected === sha(answer.trim());
  }

  private key(purpose: string, challengeId: string) {
    return `captcha:${purpose}:${challengeId}`;
  }
}

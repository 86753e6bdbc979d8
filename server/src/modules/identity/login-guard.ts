// Throttles password guessing. Two failure counters, one per account (the phone, or the user for a
// password change) and one per client address, live in the shared cache (Redis when configured,
// so all nodes count together). An attempt is *reserved* in both counters atomically BEFORE the
// password is checked: 30 guesses sent at once are 30 reservations, and only those under the
// threshold reach argon2. A success gives its reservation back (the account's counter is cleared:
// its owner just proved who they are); a failure keeps it. Past the threshold the answer is
// CAPTCHA_REQUIRED, never a hard lock-out of the owner; a client past its ceiling gets 429.
import type { Cache, CacheScript } from '../../platform/cache/cache.ts';
import type { Config } from '../../platform/config.ts';
import { AppError } from '../../platform/errors.ts';
import { clientKey, tooManyRequests } from '../../platform/http/rate-limit.ts';
import type { CaptchaProvider } from './captcha.ts';

type Reservation = [outcome: 'ok' | 'captcha' | 'limited', retryAfterMs: number];

// KEYS: account, client. ARGV: windowMs, accountCaptchaAfter, clientCaptchaAfter, clientMax, captchaPassed.
const RESERVE: CacheScript<Reservation> = {
  name: 'login_reserve',
  lua: `
local account = tonumber(redis.call('GET', KEYS[1]) or '0')
local client = tonumber(redis.call('GET', KEYS[2]) or '0')
if client >= tonumber(ARGV[4]) then return {'limited', redis.call('PTTL', KEYS[2])} end
if ARGV[5] ~= '1' and (account >= tonumber(ARGV[2]) or client >= tonumber(ARGV[3])) then return {'captcha', 0} end
for i = 1, 2 do
  if redis.call('INCR', KEYS[i]) == 1 then redis.call('PEXPIRE', KEYS[i], ARGV[1]) end
end
return {'ok', 0}`,
  local: (store, keys, args) => {
    const [accountKey, clientKeyName] = [keys[0]!, keys[1]!];
    const account = Number(store.get(accountKey) ?? '0');
    const client = Number(store.get(clientKeyName) ?? '0');
    if (client >= Number(args[3])) return ['limited', store.pttl(clientKeyName)];
    if (args[4] !== '1' && (account >= Number(args[1]) || client >= Number(args[2]))) return ['captcha', 0];
    for (const k of [accountKey, clientKeyName]) if (store.incrBy(k, 1) === 1) store.expire(k, Number(args[0]));
    return ['ok', 0];
  },
};

// A success: the account starts afresh, the client gets its own reservation back (and no more).
const SETTLE: CacheScript<number> = {
  name: 'login_settle',
  lua: `
redis.call('DEL', KEYS[1])
if tonumber(redis.call('GET', KEYS[2]) or '0') > 0 then redis.call('DECR', KEYS[2]) end
return 1`,
  local: (store, keys) => {
    store.del(keys[0]!);
    if (Number(store.get(keys[1]!) ?? '0') > 0) store.incrBy(keys[1]!, -1);
    return 1;
  },
};

export interface GuardedAttempt {
  /** Call once the password proved right. */
  succeeded(): Promise<void>;
}

export class LoginGuard {
  constructor(
    private readonly cache: Cache,
    private readonly limits: Config['login'],
    public captcha: CaptchaProvider,
  ) {}

  /**
   * Reserve one attempt for `account` from `ip`, or throw: 429 RATE_LIMITED when the client is past
   * its ceiling, 403 CAPTCHA_REQUIRED / CAPTCHA_INVALID (details.captcha: the challenge to present)
   * past a threshold without a valid captcha answer.
   */
  async enter(account: string, ip: string | undefined, captchaAnswer: string | undefined): Promise<GuardedAttempt> {
    const keys = [`auth:fail:acct:${account}`, `auth:fail:ip:${clientKey(ip)}`];
    const args = (passed: boolean) => [
      this.limits.windowSec * 1000,
      this.limits.accountCaptchaAfter,
      this.limits.clientCaptchaAfter,
      this.limits.clientMaxFailures,
      passed ? '1' : '0',
    ];
    let [outcome, retryAfterMs] = await this.cache.run(RESERVE, keys, args(false));
    if (outcome === 'captcha' && captchaAnswer) {
      // The answer is checked (and spent) only when it is needed.
      if (!(await this.captcha.verify('login', captchaAnswer))) {
        throw new AppError(403, 'CAPTCHA_INVALID', 'The captcha answer is wrong or expired; solve the new one', {
          captcha: await this.captcha.issue('login'),
        });
      }
      [outcome, retryAfterMs] = await this.cache.run(RESERVE, keys, args(true));
    }
    if (outcome === 'limited') {
      const retryAfterSec = retryAfterMs > 0 ? retryAfterMs / 1000 : this.limits.windowSec;
      throw tooManyRequests(retryAfterSec, 'Too many failed sign-ins from this network; try again later');
    }
    if (outcome === 'captcha') {
      const message = 'Several sign-ins failed: solve the captcha and send its answer as `captcha`';
      throw new AppError(403, 'CAPTCHA_REQUIRED', message, { captcha: await this.captcha.issue('login') });
    }
    return {
      succeeded: async () => {
        await this.cache.run(SETTLE, keys, []);
      },
    };
  }

  /** Forget an account's failures (its password was just reset by its owner). */
  async clear(account: string): Promise<void> {
    await this.cache.del(`auth:fail:acct:${account}`);
  }
}

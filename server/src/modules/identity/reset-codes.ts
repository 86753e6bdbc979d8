// One-time SMS codes for a password reset, kept in the shared cache: only a keyed hash of the code
// (never the code), an expiry, and a count of wrong tries. Checking a code is one atomic step, so
// parallel guesses cannot exceed the allowed tries, and a right code is spent by its first use.
import crypto from 'node:crypto';
import type { Cache, CacheScript } from '../../platform/cache/cache.ts';
import type { TokenService } from '../../platform/auth/tokens.ts';

export type CodeCheck =
  | { outcome: 'ok' }
  | { outcome: 'wrong'; attemptsLeft: number }
  | { outcome: 'expired' | 'none' };

// KEYS: the phone's code. ARGV: code hash, expiry (ms epoch), ttl of the record (ms).
const STORE: CacheScript<number> = {
  name: 'reset_code_store',
  lua: `
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'hash', ARGV[1], 'exp', ARGV[2], 'tries', '0')
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1`,
  local: (store, keys, args) => {
    store.del(keys[0]!);
    store.hSet(keys[0]!, 'hash', args[0]!);
    store.hSet(keys[0]!, 'exp', args[1]!);
    store.hSet(keys[0]!, 'tries', '0');
    store.expire(keys[0]!, Number(args[2]));
    return 1;
  },
};

// KEYS: the phone's code. ARGV: hash of the code presented, now (ms epoch), tries allowed.
// Returns 'ok', 'expired', 'none' or the number of tries left after a wrong one.
const CHECK: CacheScript<string | number> = {
  name: 'reset_code_check',
  lua: `
local hash = redis.call('HGET', KEYS[1], 'hash')
if not hash then return 'none' end
if tonumber(redis.call('HGET', KEYS[1], 'exp')) <= tonumber(ARGV[2]) then
  redis.call('DEL', KEYS[1])
  return 'expired'
end
local tries = redis.call('HINCRBY', KEYS[1], 'tries', 1)
if hash == ARGV[1] then redis.call('DEL', KEYS[1]) return 'ok' end
local left = tonumber(ARGV[3]) - tries
if left <= 0 then redis.call('DEL', KEYS[1]) end
return left`,
  local: (store, keys, args) => {
    const hash = store.hGet(keys[0]!, 'hash');
    if (hash === null) return 'none';
    if (Number(store.hGet(keys[0]!, 'exp')) <= Number(args[1])) {
      store.del(keys[0]!);
      return 'expired';
    }
    const tries = store.hIncrBy(keys[0]!, 'tries', 1);
    if (hash === args[0]) {
      store.del(keys[0]!);
      return 'ok';
    }
    const left = Number(args[2]) - tries;
    if (left <= 0) store.del(keys[0]!);
    return left;
  },
};

export class ResetCodes {
  constructor(
    private readonly cache: Cache,
    private readonly tokens: TokenService,
    private readonly opts: { ttlSec: number; maxAttempts: number },
  ) {}

  /** A new code for the phone; any earlier one stops working. */
  async issue(phone: string): Promise<string> {
    const code = String(crypto.randomInt(0, 1_000_000)).padStart(6, '0');
    const ttlMs = this.opts.ttlSec * 1000;
    // The record outlives the code a little, so a late try is told "expired" rather than "no code".
    const args = [this.hash(phone, code), Date.now() + ttlMs, ttlMs + 10 * 60_000];
    await this.cache.run(STORE, [this.key(phone)], args);
    return code;
  }

  async check(phone: string, code: string): Promise<CodeCheck> {
    const args = [this.hash(phone, code.trim()), Date.now(), this.opts.maxAttempts];
    const r = await this.cache.run(CHECK, [this.key(phone)], args);
    if (r === 'ok' || r === 'expired' || r === 'none') return { outcome: r };
    return { outcome: 'wrong', attemptsLeft: Math.max(0, Number(r)) };
  }

  private key(phone: string) {
    return `auth:reset-code:${phone}`;
  }
  private hash(phone: string, code: string) {
    return this.tokens.fingerprint('password-reset', `${phone}:${code}`);
  }
}

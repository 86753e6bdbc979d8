// Redis Cache for several nodes. Keys carry the configured prefix (ioredis keyPrefix, which also
// prefixes script KEYS); pub/sub channels get the same prefix by hand, on a dedicated connection.
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { RATE_LIMIT_SCRIPT, type Cache, type CacheScript, type RateLimitResult, type Unsubscribe } from './cache.ts';

export class RedisCache implements Cache {
  readonly kind = 'redis' as const;
  private readonly client: Redis;
  private subscriber: Redis | undefined;
  private readonly handlers = new Map<string, Set<(message: string) => void>>();
  private readonly scriptShas = new Map<string, string>();

  constructor(
    url: string,
    private readonly prefix: string,
    private readonly log?: Logger,
  ) {
    // Auto-pipelining sends the commands issued in one tick as one write: under load (a flash sale,
    // a busy room) that is far fewer syscalls and round trips.
    this.client = new Redis(url, {
      keyPrefix: prefix,
      maxRetriesPerRequest: 3,
      lazyConnect: false,
      enableAutoPipelining: true,
    });
    this.client.on('error', (err) => this.log?.warn({ err: err.message }, 'redis error'));
  }

  async ping(): Promise<void> {
    await this.client.ping();
  }

  async close(): Promise<void> {
    this.handlers.clear();
    await Promise.allSettled([this.client.quit(), this.subscriber?.quit()]);
  }

  async get(key: string) {
    return this.client.get(key);
  }

  async set(key: string, value: string, opts: { ttlMs?: number; nx?: boolean } = {}): Promise<boolean> {
    const args: Array<string | number> = [];
    if (opts.ttlMs) args.push('PX', opts.ttlMs);
    if (opts.nx) args.push('NX');
    const res = await (this.client.set as (...a: unknown[]) => Promise<string | null>)(key, value, ...args);
    return res === 'OK';
  }
  async del(...keys: string[]) {
    return keys.length ? this.client.del(...keys) : 0;
  }
  async incrBy(key: string, by = 1) {
    return this.client.incrby(key, by);
  }
  async expire(key: string, ttlMs: number) {
    await this.client.pexpire(key, ttlMs);
  }
  async ttlMs(key: string) {
    return this.client.pttl(key);
  }

  async hSet(key: string, values: Record<string, string>) {
    if (Object.keys(values).length) await this.client.hset(key, values);
  }
  async hGetAll(key: string) {
    return this.client.hgetall(key);
  }
  async hIncrBy(key: string, field: string, by: number) {
    return this.client.hincrby(key, field, by);
  }

  async sAdd(key: string, ...members: string[]) {
    return members.length ? this.client.sadd(key, ...members) : 0;
  }
  async sRem(key: string, ...members: string[]) {
    return members.length ? this.client.srem(key, ...members) : 0;
  }
  async sCard(key: string) {
    return this.client.scard(key);
  }
  async sIsMember(key: string, member: string) {
    return (await this.client.sismember(key, member)) === 1;
  }
  async sMembers(key: string) {
    return this.client.smembers(key);
  }

  async lPushCapped(key: string, value: string, maxLen: number) {
    await this.client
      .multi()
      .lpush(key, value)
      .ltrim(key, 0, maxLen - 1)
      .exec();
  }
  async lRange(key: string, start: number, stop: number) {
    return this.client.lrange(key, start, stop);
  }

  async zIncrBy(key: string, member: string, by: number) {
    return Number(await this.client.zincrby(key, by, member));
  }
  async zTop(key: string, count: number) {
    const flat = await this.client.zrevrange(key, 0, count - 1, 'WITHSCORES');
    const out: Array<{ member: string; score: number }> = [];
    for (let i = 0; i < flat.length; i += 2) out.push({ member: flat[i]!, score: Number(flat[i + 1]) });
    return out;
  }

  async rateLimit(key: string, limit: number, windowMs: number): Promise<RateLimitResult> {
    const [n, ttl] = await this.run(RATE_LIMIT_SCRIPT, [key], [windowMs]);
    return { allowed: n <= limit, remaining: Math.max(0, limit - n), resetMs: ttl };
  }

  async run<R>(script: CacheScript<R>, keys: string[], args: Array<string | number>): Promise<R> {
    let sha = this.scriptShas.get(script.name);
    if (!sha) {
      sha = (await this.client.script('LOAD', script.lua)) as string;
      this.scriptShas.set(script.name, sha);
    }
    try {
      return (await this.client.evalsha(sha, keys.length, ...keys, ...args)) as R;
    } catch (err) {
      // Redis restarted and forgot the script: load it again once.
      if (err instanceof Error && err.message.includes('NOSCRIPT')) {
        this.scriptShas.delete(script.name);
        return this.run(script, keys, args);
      }
      throw err;
    }
  }

  async publish(channel: string, message: string) {
    await this.client.publish(this.prefix + channel, message);
  }

  async subscribe(channel: string, handler: (message: string) => void): Promise<Unsubscribe> {
    const full = this.prefix + channel;
    if (!this.subscriber) {
      // keyPrefix does not apply to channels; a separate connection is required for SUBSCRIBE mode.
      this.subscriber = this.client.duplicate({ keyPrefix: '' });
      this.subscriber.on('error', (err) => this.log?.warn({ err: err.message }, 'redis subscriber error'));
      this.subscriber.on('message', (ch: string, msg: string) => {
        for (const h of this.handlers.get(ch) ?? []) {
          try {
            h(msg);
          } catch (err) {
            this.log?.error({ err, channel: ch }, 'pub/sub handler failed');
          }
        }
      });
    }
    let set = this.handlers.get(full);
    if (!set) {
      set = new Set();
      this.handlers.set(full, set);
      await this.subscriber.subscribe(full);
    }
    set.add(handler);
    return async () => {
      const s = this.handlers.get(full);
      if (!s) return;
      s.delete(handler);
      if (s.size === 0) {
        this.handlers.delete(full);
        await this.subscriber?.unsubscribe(full);
      }
    };
  }
}

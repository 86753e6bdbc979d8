// The hot-state contract: key/value with TTL, counters, hashes, sets, capped lists, sorted sets,
// rate limits, atomic scripts and pub/sub. Two implementations honour it identically: in-process
// (the embedded default, one node) and Redis (several nodes). The contract tests run both.

/** What an atomic script sees in the in-process implementation; mirrors the Redis commands used in its Lua. */
export interface LocalStore {
  get(key: string): string | null;
  set(key: string, value: string, ttlMs?: number): void;
  del(key: string): void;
  incrBy(key: string, by: number): number;
  hGet(key: string, field: string): string | null;
  hSet(key: string, field: string, value: string): void;
  hIncrBy(key: string, field: string, by: number): number;
  /** Removes a field; true if it was there (HDEL). An emptied hash is gone, as in Redis. */
  hDel(key: string, field: string): boolean;
  /** Every field and value (HGETALL, which Lua sees as a flat list). */
  hGetAll(key: string): Record<string, string>;
  sAdd(key: string, member: string): boolean;
  sIsMember(key: string, member: string): boolean;
  sCard(key: string): number;
  expire(key: string, ttlMs: number): void;
  /** Remaining time to live in ms; -1 without expiry, -2 when missing (as Redis PTTL). */
  pttl(key: string): number;
  /** Sets a member's score (ZADD). */
  zAdd(key: string, score: number, member: string): void;
  /** Removes a member; true if it was there (ZREM). An emptied sorted set is gone. */
  zRem(key: string, member: string): boolean;
  /** Members scoring at most `max`, lowest first, ties by member (ZRANGEBYSCORE key -inf max LIMIT 0 limit). */
  zRangeByScore(key: string, max: number, limit: number): string[];
  zCard(key: string): number;
  /**
   * The cache's clock in ms (Redis TIME): one clock for every node, so a deadline written by one
   * node is judged by the same clock on another.
   */
  nowMs(): number;
}

/**
 * An operation that must be atomic across nodes: Lua on Redis, a synchronous function in-process.
 * Both must implement the same semantics; the contract tests hold them to it.
 */
export interface CacheScript<R> {
  name: string;
  lua: string;
  local: (store: LocalStore, keys: string[], args: string[]) => R;
}

export type Unsubscribe = () => Promise<void>;

export interface RateLimitResult {
  allowed: boolean;
  remaining: number;
  resetMs: number;
}

export interface Cache {
  readonly kind: 'memory' | 'redis';
  ping(): Promise<void>;
  close(): Promise<void>;

  get(key: string): Promise<string | null>;
  /** Returns false only when `nx` is set and the key already existed. */
  set(key: string, value: string, opts?: { ttlMs?: number; nx?: boolean }): Promise<boolean>;
  del(...keys: string[]): Promise<number>;
  incrBy(key: string, by?: number): Promise<number>;
  expire(key: string, ttlMs: number): Promise<void>;
  ttlMs(key: string): Promise<number>;

  hSet(key: string, values: Record<string, string>): Promise<void>;
  hGetAll(key: string): Promise<Record<string, string>>;
  hIncrBy(key: string, field: string, by: number): Promise<number>;

  sAdd(key: string, ...members: string[]): Promise<number>;
  sRem(key: string, ...members: string[]): Promise<number>;
  sCard(key: string): Promise<number>;
  sIsMember(key: string, member: string): Promise<boolean>;
  sMembers(key: string): Promise<string[]>;

  /** Push to the head of a list and keep at most maxLen newest items. */
  lPushCapped(key: string, value: string, maxLen: number): Promise<void>;
  /** Items newest first, inclusive range like Redis LRANGE. */
  lRange(key: string, start: number, stop: number): Promise<string[]>;

  zIncrBy(key: string, member: string, by: number): Promise<number>;
  /** Highest scores first. */
  zTop(key: string, count: number): Promise<Array<{ member: string; score: number }>>;

  /** Fixed-window counter: at most `limit` hits per `windowMs` per key. */
  rateLimit(key: string, limit: number, windowMs: number): Promise<RateLimitResult>;

  run<R>(script: CacheScript<R>, keys: string[], args: Array<string | number>): Promise<R>;

  publish(channel: string, message: string): Promise<void>;
  subscribe(channel: string, handler: (message: string) => void): Promise<Unsubscribe>;
}

/** Fixed-window rate limit, shared by both implementations. */
export const RATE_LIMIT_SCRIPT: CacheScript<[number, number]> = {
  name: 'rate_limit',
  lua: `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
return {n, ttl}`,
  local: (store, keys, args) => {
    const key = keys[0]!;
    const n = store.incrBy(key, 1);
    if (n === 1) store.expire(key, Number(args[0]));
    return [n, store.pttl(key)];
  },
};

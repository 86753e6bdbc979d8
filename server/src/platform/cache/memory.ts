// In-process Cache: the embedded default for a single node. Scripts run synchronously on the
// event loop, which makes them atomic exactly as a Lua script is atomic inside Redis.
import { EventEmitter } from 'node:events';
import {
  RATE_LIMIT_SCRIPT,
  type Cache,
  type CacheScript,
  type LocalStore,
  type RateLimitResult,
  type Unsubscribe,
} from './cache.ts';

type Value = string | Map<string, string> | Set<string> | string[] | Map<string, number>;
interface Entry {
  value: Value;
  expiresAt: number | undefined;
}

export class MemoryCache implements Cache {
  readonly kind = 'memory' as const;
  private readonly data = new Map<string, Entry>();
  private readonly bus = new EventEmitter();
  private readonly sweeper: NodeJS.Timeout;

  constructor() {
    this.bus.setMaxListeners(0);
    // Expired keys are dropped lazily on read; the sweeper bounds memory for keys never read again.
    this.sweeper = setInterval(() => this.sweep(), 10_000);
    this.sweeper.unref();
  }

  private sweep(): void {
    const now = Date.now();
    for (const [k, e] of this.data) if (e.expiresAt !== undefined && e.expiresAt <= now) this.data.delete(k);
  }

  private entry(key: string): Entry | undefined {
    const e = this.data.get(key);
    if (e && e.expiresAt !== undefined && e.expiresAt <= Date.now()) {
      this.data.delete(key);
      return undefined;
    }
    return e;
  }

  private typed<T extends Value>(key: string, is: (v: Value) => v is T, make: () => T): T {
    const e = this.entry(key);
    if (e) {
      if (!is(e.value)) throw new Error(`WRONGTYPE key ${key} holds another kind of value`);
      return e.value;
    }
    const value = make();
    this.data.set(key, { value, expiresAt: undefined });
    return value;
  }

  private hash(key: string) {
    return this.typed(
      key,
      (v): v is Map<string, string> => v instanceof Map && !isZset(v),
      () => new Map<string, string>(),
    );
  }
  private set_(key: string) {
    return this.typed(
      key,
      (v): v is Set<string> => v instanceof Set,
      () => new Set<string>(),
    );
  }
  private list(key: string) {
    return this.typed(
      key,
      (v): v is string[] => Array.isArray(v),
      () => [] as string[],
    );
  }
  private zset(key: string) {
    return this.typed(key, isZset, () => markZset(new Map<string, number>()));
  }

  // ---- synchronous helpers, used by scripts through `local` ----
  async get(key: string): Promise<string | null> {
    return this.getSync(key);
  }
  getSync(key: string): string | null {
    const e = this.entry(key);
    if (!e) return null;
    if (typeof e.value !== 'string') throw new Error(`WRONGTYPE key ${key} is not a string`);
    return e.value;
  }
  hGet(key: string, field: string): string | null {
    return this.entry(key) ? (this.hash(key).get(field) ?? null) : null;
  }
  sIsMemberSync(key: string, member: string): boolean {
    return this.entry(key) ? this.set_(key).has(member) : false;
  }
  pttl(key: string): number {
    const e = this.entry(key);
    if (!e) return -2;
    return e.expiresAt === undefined ? -1 : Math.max(0, e.expiresAt - Date.now());
  }

  private readonly local: LocalStore = {
    get: (k) => this.getSync(k),
    set: (k, v, ttlMs) => void this.data.set(k, { value: v, expiresAt: ttlMs ? Date.now() + ttlMs : undefined }),
    del: (k) => void this.data.delete(k),
    incrBy: (k, by) => this.incrSync(k, by),
    hGet: (k, f) => this.hGet(k, f),
    hSet: (k, f, v) => void this.hash(k).set(f, v),
    hIncrBy: (k, f, by) => this.hIncrSync(k, f, by),
    sAdd: (k, m) => this.sAddSync(k, [m]) === 1,
    sIsMember: (k, m) => this.sIsMemberSync(k, m),
    sCard: (k) => (this.entry(k) ? this.set_(k).size : 0),
    expire: (k, ttl) => this.expireSync(k, ttl),
    pttl: (k) => this.pttl(k),
    hDel: (k, f) => this.dropEmpty(k, this.entry(k) ? this.hash(k).delete(f) : false),
    hGetAll: (k) => (this.entry(k) ? Object.fromEntries(this.hash(k)) : {}),
    zAdd: (k, score, m) => void this.zset(k).set(m, score),
    zRem: (k, m) => this.dropEmpty(k, this.entry(k) ? this.zset(k).delete(m) : false),
    zRangeByScore: (k, max, limit) =>
      (this.entry(k) ? [...this.zset(k)] : [])
        .filter(([, score]) => score <= max)
        .sort(([a, sa], [b, sb]) => sa - sb || (a < b ? -1 : a > b ? 1 : 0))
        .slice(0, limit)
        .map(([m]) => m),
    zCard: (k) => (this.entry(k) ? this.zset(k).size : 0),
    nowMs: () => Date.now(),
  };

  /** Redis removes a hash or sorted set once its last member goes; so do we. */
  private dropEmpty(key: string, removed: boolean): boolean {
    const v = this.data.get(key)?.value;
    if (v instanceof Map && v.size === 0) this.data.delete(key);
    return removed;
  }

  private incrSync(key: string, by: number): number {
    const current = this.getSync(key);
    const n = (current === null ? 0 : parseIntStrict(current, key)) + by;
    const e = this.entry(key);
    this.data.set(key, { value: String(n), expiresAt: e?.expiresAt });
    return n;
  }
  private hIncrSync(key: string, field: string, by: number): number {
    const h = this.hash(key);
    const n = parseIntStrict(h.get(field) ?? '0', key) + by;
    h.set(field, String(n));
    return n;
  }
  private sAddSync(key: string, members: string[]): number {
    const s = this.set_(key);
    let added = 0;
    for (const m of members)
      if (!s.has(m)) {
        s.add(m);
        added++;
      }
    return added;
  }
  private expireSync(key: string, ttlMs: number): void {
    const e = this.entry(key);
    if (e) e.expiresAt = Date.now() + ttlMs;
  }

  // ---- Cache (async) ----
  async ping(): Promise<void> {}
  async close(): Promise<void> {
    clearInterval(this.sweeper);
    this.bus.removeAllListeners();
  }

  async set(key: string, value: string, opts: { ttlMs?: number; nx?: boolean } = {}): Promise<boolean> {
    if (opts.nx && this.entry(key)) return false;
    this.data.set(key, { value, expiresAt: opts.ttlMs ? Date.now() + opts.ttlMs : undefined });
    return true;
  }
  async del(...keys: string[]): Promise<number> {
    let n = 0;
    for (const k of keys) if (this.entry(k) && this.data.delete(k)) n++;
    return n;
  }
  async incrBy(key: string, by = 1): Promise<number> {
    return this.incrSync(key, by);
  }
  async expire(key: string, ttlMs: number): Promise<void> {
    this.expireSync(key, ttlMs);
  }
  async ttlMs(key: string): Promise<number> {
    return this.pttl(key);
  }

  async hSet(key: string, values: Record<string, string>): Promise<void> {
    const h = this.hash(key);
    for (const [f, v] of Object.entries(values)) h.set(f, v);
  }
  async hGetAll(key: string): Promise<Record<string, string>> {
    return this.entry(key) ? Object.fromEntries(this.hash(key)) : {};
  }
  async hIncrBy(key: string, field: string, by: number): Promise<number> {
    return this.hIncrSync(key, field, by);
  }

  async sAdd(key: string, ...members: string[]): Promise<number> {
    return this.sAddSync(key, members);
  }
  async sRem(key: string, ...members: string[]): Promise<number> {
    if (!this.entry(key)) return 0;
    const s = this.set_(key);
    let n = 0;
    for (const m of members) if (s.delete(m)) n++;
    return n;
  }
  async sCard(key: string): Promise<number> {
    return this.entry(key) ? this.set_(key).size : 0;
  }
  async sIsMember(key: string, member: string): Promise<boolean> {
    return this.sIsMemberSync(key, member);
  }
  async sMembers(key: string): Promise<string[]> {
    return this.entry(key) ? [...this.set_(key)] : [];
  }

  async lPushCapped(key: string, value: string, maxLen: number): Promise<void> {
    const l = this.list(key);
    l.unshift(value);
    if (l.length > maxLen) l.length = maxLen;
  }
  async lRange(key: string, start: number, stop: number): Promise<string[]> {
    if (!this.entry(key)) return [];
    const l = this.list(key);
    const end = stop < 0 ? l.length + stop + 1 : stop + 1;
    return l.slice(start < 0 ? Math.max(0, l.length + start) : start, end);
  }

  async zIncrBy(key: string, member: string, by: number): Promise<number> {
    const z = this.zset(key);
    const n = (z.get(member) ?? 0) + by;
    z.set(member, n);
    return n;
  }
  async zTop(key: string, count: number): Promise<Array<{ member: string; score: number }>> {
    if (!this.entry(key)) return [];
    return [...this.zset(key)]
      .map(([member, score]) => ({ member, score }))
      .sort((a, b) => b.score - a.score || (a.member < b.member ? 1 : -1))
      .slice(0, count);
  }

  async rateLimit(key: string, limit: number, windowMs: number): Promise<RateLimitResult> {
    const [n, ttl] = await this.run(RATE_LIMIT_SCRIPT, [key], [windowMs]);
    return { allowed: n <= limit, remaining: Math.max(0, limit - n), resetMs: ttl };
  }

  async run<R>(script: CacheScript<R>, keys: string[], args: Array<string | number>): Promise<R> {
    return script.local(this.local, keys, args.map(String));
  }

  async publish(channel: string, message: string): Promise<void> {
    // Deliver asynchronously, like a network pub/sub would.
    setImmediate(() => this.bus.emit(channel, message));
  }
  async subscribe(channel: string, handler: (message: string) => void): Promise<Unsubscribe> {
    const safe = (message: string) => {
      try {
        handler(message);
      } catch {
        /* a subscriber's failure must not break delivery to others */
      }
    };
    this.bus.on(channel, safe);
    return async () => void this.bus.off(channel, safe);
  }
}

const ZSET = Symbol('zset');
function markZset(m: Map<string, number>): Map<string, number> {
  (m as unknown as Record<symbol, boolean>)[ZSET] = true;
  return m;
}
function isZset(v: Value): v is Map<string, number> {
  return v instanceof Map && (v as unknown as Record<symbol, boolean>)[ZSET] === true;
}
function parseIntStrict(v: string, key: string): number {
  if (!/^-?\d+$/.test(v)) throw new Error(`ERR value at ${key} is not an integer`);
  return Number(v);
}

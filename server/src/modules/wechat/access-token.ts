// The WeChat API access token, one for every node: kept in the shared cache (in-process or Redis),
// refreshed by one node at a time under a cache lock, early (before WeChat's expiry) and once when
// WeChat says a token is invalid or expired (errcode 40001 / 42001). Other nodes keep using the old
// token while it is still valid, or wait briefly for the new one.
import crypto from 'node:crypto';
import type { Cache, CacheScript } from '../../platform/cache/cache.ts';
import { AppError } from '../../platform/errors.ts';

export interface TokenGrant {
  token: string;
  expiresInSec: number;
}
/** Asks WeChat for a token; `force` asks stable_token for a fresh one (force_refresh). */
export type TokenFetcher = (force: boolean) => Promise<TokenGrant>;

/** Release the lock only if we still hold it (it may have expired and been taken by another node). */
const RELEASE: CacheScript<number> = {
  name: 'wechat_token_release',
  lua: `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`,
  local: (store, keys, args) => {
    if (store.get(keys[0]!) !== args[0]) return 0;
    store.del(keys[0]!);
    return 1;
  },
};

/** errcodes meaning "this token is no good": invalid credential, token expired. */
export const TOKEN_ERRCODES = new Set([40001, 42001]);

interface Stored {
  token: string;
  expiresAt: number;
}

export class SharedAccessToken {
  /** Refreshes this node made (tests and metrics read it). */
  refreshes = 0;
  private inflight: Promise<string> | null = null;
  private readonly key: string;
  private readonly lockKey: string;

  constructor(
    private readonly cache: Cache,
    appId: string,
    private readonly fetcher: TokenFetcher,
    private readonly opts: { earlyMs?: number; lockMs?: number; waitMs?: number } = {},
  ) {
    this.key = `wechat:token:${appId}`;
    this.lockKey = `wechat:token:${appId}:lock`;
  }

  private get earlyMs() {
    return this.opts.earlyMs ?? 5 * 60_000;
  }

  private async read(): Promise<Stored | null> {
    const raw = await this.cache.get(this.key);
    if (!raw) return null;
    try {
      return JSON.parse(raw) as Stored;
    } catch {
      return null;
    }
  }

  /** A token valid for a while yet; refreshed first when it is near its end. */
  async get(): Promise<string> {
    const cur = await this.read();
    if (cur && cur.expiresAt - this.earlyMs > Date.now()) return cur.token;
    return this.refresh(cur, false);
  }

  /**
   * Run a call with the token; when WeChat answers 40001/42001, refresh once (unless another node
   * already did) and run it once more.
   */
  async withToken<T extends { errcode?: number | undefined }>(call: (token: string) => Promise<T>): Promise<T> {
    const token = await this.get();
    const first = await call(token);
    if (!first.errcode || !TOKEN_ERRCODES.has(first.errcode)) return first;
    const fresh = await this.refresh({ token, expiresAt: 0 }, true);
    return call(fresh);
  }

  private refresh(stale: Stored | null, force: boolean): Promise<string> {
    this.inflight ??= this.refreshShared(stale, force).finally(() => {
      this.inflight = null;
    });
    return this.inflight;
  }

  private async refreshShared(stale: Stored | null, force: boolean): Promise<string> {
    const holder = crypto.randomUUID();
    const lockMs = this.opts.lockMs ?? 10_000;
    if (await this.cache.set(this.lockKey, holder, { nx: true, ttlMs: lockMs })) {
      try {
        // Another node may have refreshed between our read and the lock.
        const again = await this.read();
        if (again && again.token !== stale?.token && again.expiresAt - this.earlyMs > Date.now()) return again.token;
        const grant = await this.fetcher(force);
        const ttlMs = Math.max(1, grant.expiresInSec) * 1000;
        await this.cache.set(this.key, JSON.stringify({ token: grant.token, expiresAt: Date.now() + ttlMs }), {
          ttlMs,
        });
        this.refreshes++;
        return grant.token;
      } finally {
        await this.cache.run(RELEASE, [this.lockKey], [holder]);
      }
    }
    // Another node is refreshing. An early refresh: the old token still works meanwhile.
    if (stale && stale.expiresAt > Date.now()) return stale.token;
    const deadline = Date.now() + (this.opts.waitMs ?? 5000);
    while (Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      const released = !(await this.cache.get(this.lockKey));
      const now = await this.read();
      if (now && now.token !== stale?.token && now.expiresAt > Date.now()) return now.token;
      if (released) break; // that node gave up without a token: the caller retries later
    }
    throw new AppError(502, 'WECHAT_UNAVAILABLE', 'WeChat access token could not be refreshed');
  }
}

import type { Logger } from 'pino';
import type { Cache } from './cache.ts';
import { MemoryCache } from './memory.ts';
import { RedisCache } from './redis.ts';

export * from './cache.ts';
export { MemoryCache, RedisCache };

export function openCache(opts: { redisUrl?: string | undefined; prefix?: string; log?: Logger }): Cache {
  return opts.redisUrl ? new RedisCache(opts.redisUrl, opts.prefix ?? 'livemall:', opts.log) : new MemoryCache();
}

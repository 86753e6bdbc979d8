// HTTP rate limits, declared on the route (`config.rateLimit`), counted in the shared cache (Redis
// when configured, so every node counts into the same bucket), answered with 429 RATE_LIMITED and
// Retry-After, and written into the route's OpenAPI entry. RATE_LIMITS overrides a bucket by name.
import type { FastifyInstance, FastifyRequest, onRequestHookHandler, RouteOptions } from 'fastify';
import type { Cache } from '../cache/cache.ts';
import { AppError } from '../errors.ts';

export interface RouteRateLimit {
  /** Bucket name, e.g. 'auth.login': part of the cache key, and the name RATE_LIMITS overrides use. */
  bucket: string;
  max: number;
  windowSec: number;
  /** Whose requests share a bucket: the client address, or the signed-in user (the address when signed out). */
  by: 'ip' | 'user';
}

/** Per bucket: a new max/window, or 'off'. Parsed from RATE_LIMITS in config.ts. */
export type RateLimitOverrides = Record<string, { max: number; windowSec: number } | 'off'>;

declare module 'fastify' {
  interface FastifyContextConfig {
    rateLimit?: RouteRateLimit;
  }
}

/** A 429 in the standard error shape; the error handler turns `retryAfterSec` into the Retry-After header. */
export function tooManyRequests(
  retryAfterSec: number,
  message: string,
  details: Record<string, unknown> = {},
  code = 'RATE_LIMITED',
) {
  const sec = Math.max(1, Math.ceil(retryAfterSec));
  return new AppError(429, code, message, { ...details, retryAfterSec: sec });
}

/**
 * The key a client's requests are counted under. IPv6 clients are grouped by /64: one subscriber
 * usually holds a whole /64, so per-address buckets would be free to multiply.
 */
export function clientKey(ip: string | undefined): string {
  if (!ip) return 'unknown';
  const v4mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (v4mapped) return v4mapped[1]!;
  if (!ip.includes(':')) return ip;
  return `${expandIpv6(ip).slice(0, 4).join(':')}::/64`;
}

function expandIpv6(ip: string): string[] {
  const [head = '', tail] = ip.split('%')[0]!.split('::');
  const left = head ? head.split(':') : [];
  const right = tail !== undefined && tail !== '' ? tail.split(':') : [];
  const fill = tail === undefined ? [] : Array(Math.max(0, 8 - left.length - right.length)).fill('0');
  return [...left, ...fill, ...right].map((h) => h.toLowerCase().replace(/^0+(?=.)/, ''));
}

export function installRateLimits(
  app: FastifyInstance,
  deps: { cache: Cache; enabled: boolean; overrides: RateLimitOverrides },
): void {
  const declared = new Set<string>();
  app.addHook('onRoute', (route) => {
    const declaredLimit = route.config?.rateLimit;
    if (!declaredLimit) return;
    declared.add(declaredLimit.bucket);
    const override = deps.overrides[declaredLimit.bucket];
    const off = !deps.enabled || override === 'off';
    const limit = override && override !== 'off' ? { ...declaredLimit, ...override } : declaredLimit;
    document(route, limit, off);
    if (off) return;
    const hook = limiter(deps.cache, limit);
    // Route-level onRequest hooks run after the global ones, so the guard has already set req.actor.
    route.onRequest = route.onRequest ? [...[route.onRequest].flat(), hook] : [hook];
  });
  app.addHook('onReady', async () => {
    const unknown = Object.keys(deps.overrides).filter((b) => !declared.has(b));
    if (unknown.length) {
      const known = [...declared].sort().join(', ');
      throw new Error(`RATE_LIMITS names unknown buckets: ${unknown.join(', ')} (known: ${known})`);
    }
  });
}

function limiter(cache: Cache, limit: RouteRateLimit): onRequestHookHandler {
  return async (req: FastifyRequest) => {
    const who = limit.by === 'user' && req.actor ? `u${req.actor.userId}` : `ip${clientKey(req.ip)}`;
    const r = await cache.rateLimit(`rl:${limit.bucket}:${who}`, limit.max, limit.windowSec * 1000);
    if (r.allowed) return;
    const retryAfterSec = r.resetMs > 0 ? r.resetMs / 1000 : limit.windowSec;
    const message = `Too many requests; try again in ${Math.ceil(retryAfterSec)} s`;
    throw tooManyRequests(retryAfterSec, message, { bucket: limit.bucket });
  };
}

/** The limit goes into the OpenAPI document: a line in the description and a 429 with Retry-After. */
function document(route: RouteOptions, limit: RouteRateLimit, off: boolean): void {
  route.schema ??= {};
  const schema = route.schema as Record<string, unknown> & { response?: Record<string, unknown> };
  const who = limit.by === 'user' ? 'signed-in user' : 'client address';
  const line = off
    ? `Rate limit \`${limit.bucket}\`: switched off on this deployment.`
    : `Rate limit \`${limit.bucket}\`: ${limit.max} requests per ${limit.windowSec} s per ${who}, ` +
      'shared by all nodes; ' +
      'beyond it 429 RATE_LIMITED with Retry-After.';
  schema.description = typeof schema.description === 'string' ? `${schema.description}\n\n${line}` : line;
  schema.response = {
    ...(schema.response ?? {}),
    429: {
      $ref: 'ErrorResponse',
      description: 'Too many requests (RATE_LIMITED); wait the Retry-After seconds',
      headers: { 'retry-after': { type: 'integer', description: 'Seconds until the bucket refills' } },
    },
  };
}

// The one authorization guard. Every route must declare `config.access`; a route without it
// fails at startup, so nothing is accidentally left open.
import crypto from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Cache } from '../cache/cache.ts';
import { forbidden, unauthorized } from '../errors.ts';
import type { Access, Actor, MembershipLookup, MerchantRole } from './access.ts';
import type { TokenService } from './tokens.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    actor: Actor | undefined;
    merchantRole: MerchantRole | undefined;
    /** The caller sent the OPS_TOKEN (monitoring): see Access 'operator'. */
    isOperator: boolean;
  }
}

export const revokedSessionKey = (sessionId: string) => `auth:revoked-session:${sessionId}`;
export const disabledUserKey = (userId: number) => `auth:disabled-user:${userId}`;

export function installGuard(
  app: FastifyInstance,
  deps: {
    tokens: TokenService;
    cache: Cache;
    memberships: MembershipLookup;
    openPrefixes: string[];
    opsToken?: string | undefined;
  },
): void {
  app.decorateRequest('actor', undefined);
  app.decorateRequest('merchantRole', undefined);
  app.decorateRequest('isOperator', false);

  app.addHook('onRoute', (route) => {
    // Published as x-access in the OpenAPI document: tools (the tenancy sweep) read who may call each operation.
    if (route.config?.access) {
      if (route.schema) route.schema = { ...route.schema, 'x-access': route.config.access } as typeof route.schema;
      return;
    }
    if (deps.openPrefixes.some((p) => route.url.startsWith(p))) {
      route.config = { ...(route.config ?? {}), access: 'public' };
      return;
    }
    throw new Error(
      `Route ${route.method} ${route.url} has no config.access: every route must declare who may call it`,
    );
  });

  // Who is calling (401) is settled before validation; membership of the merchant in the path is
  // checked after it, once params are validated (so a malformed id is a 400, not a 403).
  app.addHook('onRequest', async (req) => {
    const access = req.routeOptions.config?.access;
    if (!access) return; // 404 handler
    if (deps.opsToken && isOpsToken(req.headers.authorization, deps.opsToken)) {
      req.isOperator = true; // monitoring: not a user, so no JWT to verify
      if (access === 'public' || access === 'operator') return;
      throw forbidden('The operator token only opens monitoring routes');
    }
    const actor = await authenticate(req, deps);
    req.actor = actor;
    if (access === 'public') return;
    if (!actor) throw unauthorized('UNAUTHENTICATED', 'Sign in first');
    if (access === 'user') return;
    if ((access === 'platform_admin' || access === 'operator') && !actor.isPlatformAdmin)
      throw forbidden('Platform operators only');
  });

  app.addHook('preHandler', async (req) => {
    const access = req.routeOptions.config?.access;
    const actor = req.actor;
    if (!access || typeof access === 'string' || !actor) return;
    const raw = (req.params as Record<string, string | undefined>)[access.param ?? 'merchantId'];
    const merchantId = Number(raw);
    if (!Number.isSafeInteger(merchantId) || merchantId <= 0) throw forbidden('A merchant id is required');
    const role = await deps.memberships.merchantRole(actor.userId, merchantId);
    if (role && access.merchant.includes(role)) {
      req.merchantRole = role;
      return;
    }
    if (actor.isPlatformAdmin) return;
    throw forbidden(role ? 'Your role in this merchant does not allow this' : 'You are not a member of this merchant');
  });
}

function isOpsToken(header: string | undefined, opsToken: string): boolean {
  const m = header ? /^bearer (.+)$/i.exec(header) : null;
  if (!m) return false;
  const given = crypto.createHash('sha256').update(m[1]!).digest();
  return crypto.timingSafeEqual(given, crypto.createHash('sha256').update(opsToken).digest());
}

async function authenticate(
  req: FastifyRequest,
  deps: { tokens: TokenService; cache: Cache },
): Promise<Actor | undefined> {
  const header = req.headers.authorization;
  let token: string | undefined;
  if (header) {
    const [scheme, value] = header.split(' ');
    if (scheme?.toLowerCase() !== 'bearer' || !value)
      throw unauthorized('TOKEN_INVALID', 'Authorization must be "Bearer <token>"');
    token = value;
  }
  // No token in query strings here: a URL's token ends up in logs, history and referrers. The one
  // place that takes one is the WebSocket gateway (/ws?token=), which browsers cannot give headers.
  if (!token) return undefined;
  const claims = await deps.tokens.verifyAccess(token);
  const [revoked, disabled] = await Promise.all([
    deps.cache.get(revokedSessionKey(claims.sessionId)),
    deps.cache.get(disabledUserKey(claims.userId)),
  ]);
  if (revoked) throw unauthorized('SESSION_REVOKED', 'This session was signed out');
  if (disabled) throw unauthorized('ACCOUNT_DISABLED', 'This account is disabled');
  return claims;
}

// The browser's refresh token travels only in this cookie: HttpOnly (page scripts cannot read it,
// so an injected script cannot walk away with a 30-day credential), SameSite=Strict (never sent by
// another site's page), Secure whenever the app is served over https, and scoped to /api/auth so it
// reaches the refresh and sign-out routes and nothing else. Access tokens stay in memory (bearer).
import type { FastifyReply, FastifyRequest } from 'fastify';

export const REFRESH_COOKIE = 'lm_refresh';
export const REFRESH_COOKIE_PATH = '/api/auth';

export function readRefreshCookie(req: FastifyRequest): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== REFRESH_COOKIE) continue;
    const value = part.slice(eq + 1).trim();
    // Our tokens are base64url; anything else is not ours and is ignored rather than decoded.
    return /^[A-Za-z0-9_-]{10,200}$/.test(value) ? value : undefined;
  }
  return undefined;
}

export function setRefreshCookie(
  req: FastifyRequest,
  reply: FastifyReply,
  token: string,
  maxAgeSec: number,
  publicUrl: string,
): void {
  reply.header('set-cookie', serialize(req, token, maxAgeSec, publicUrl));
}

export function clearRefreshCookie(req: FastifyRequest, reply: FastifyReply, publicUrl: string): void {
  reply.header('set-cookie', serialize(req, '', 0, publicUrl));
}

function serialize(req: FastifyRequest, value: string, maxAgeSec: number, publicUrl: string): string {
  const secure = req.protocol === 'https' || publicUrl.startsWith('https:');
  return [
    `${REFRESH_COOKIE}=${value}`,
    `Path=${REFRESH_COOKIE_PATH}`,
    `Max-Age=${maxAgeSec}`,
    ...(maxAgeSec === 0 ? ['Expires=Thu, 01 Jan 1970 00:00:00 GMT'] : []),
    'HttpOnly',
    'SameSite=Strict',
    ...(secure ? ['Secure'] : []),
  ].join('; ');
}

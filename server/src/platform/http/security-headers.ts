// Browser-facing hardening on every answer: nosniff and a referrer policy everywhere, and a
// Content-Security-Policy on every HTML page that does not bring its own (the shop, the console,
// the API docs). Pages cannot be framed by other sites: the console and the shop not at all, the
// sandbox cashier only by our own shop (it sets frame-ancestors 'self' itself).
import type { FastifyInstance } from 'fastify';

/**
 * What the built web apps need: their own scripts only (Vite emits no inline script), inline styles
 * (antd's CSS-in-JS), images and video from us or any https CDN, blob: for the players' media
 * source and workers, same-origin fetch and WebSocket, the cashier iframe from our origin.
 */
export const PAGE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob: https:",
  "media-src 'self' blob: https:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "frame-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** A server-rendered page with one nonce'd style block and a same-origin form (the sandbox cashier). */
export const formPageCsp = (styleNonce: string, frameAncestors: "'none'" | "'self'") =>
  [
    "default-src 'none'",
    `style-src 'nonce-${styleNonce}'`,
    "img-src 'self' data:",
    "form-action 'self'",
    "base-uri 'none'",
    `frame-ancestors ${frameAncestors}`,
  ].join('; ');

export function installSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onSend', async (_req, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff');
    if (!reply.hasHeader('referrer-policy')) reply.header('referrer-policy', 'same-origin');
    const type = String(reply.getHeader('content-type') ?? '');
    if (type.startsWith('text/html') && !reply.hasHeader('content-security-policy')) {
      reply.header('content-security-policy', PAGE_CSP);
      reply.header('x-frame-options', 'DENY'); // for browsers without frame-ancestors
    }
    return payload;
  });
}

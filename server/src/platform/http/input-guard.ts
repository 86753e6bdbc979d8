// Input no schema can express: PostgreSQL cannot store U+0000 in text or jsonb ("invalid byte
// sequence", "unsupported Unicode escape sequence"), so a NUL anywhere in the path, query or body
// is a 400 before any handler runs, instead of a database error and a 500.
import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors.ts';

/** Where the first string containing NUL is ("body/items/0/name"), or null. */
export function nulPath(value: unknown, at: string, depth = 0): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? at : null;
  if (!value || typeof value !== 'object' || depth > 64 || Buffer.isBuffer(value)) return null;
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (k.includes('\u0000')) return `${at}/${k.replaceAll('\u0000', '\\u0000')}`;
    const found = nulPath(v, `${at}/${k}`, depth + 1);
    if (found) return found;
  }
  return null;
}

export function installInputGuards(app: FastifyInstance): void {
  app.addHook('preValidation', async (req) => {
    const at = nulPath(req.params, 'params') ?? nulPath(req.query, 'querystring') ?? nulPath(req.body, 'body');
    if (at) {
      const details = [{ path: at, message: 'must not contain NUL (\\u0000) characters' }];
      throw new AppError(400, 'VALIDATION_FAILED', 'The request is not valid', details);
    }
  });
}

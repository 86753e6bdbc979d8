// Input no schema can express: PostgreSQL cannot store U+0000 in text or jsonb ("invalid byte
// sequence", "unsupported Unicode escape sequence"), nor half of a UTF-16 surrogate pair in jsonb
// (JSON.parse lets "\ud800" through; "Unicode low surrogate must follow a high surrogate"), so such
// a character anywhere in the path, query or body is a 400 before any handler runs, instead of a
// database error and a 500.
import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors.ts';

/** A high surrogate with no low one after it, or a low one with no high one before it. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const unstorable = (s: string) => s.includes('\u0000') || LONE_SURROGATE.test(s);
const shown = (k: string) => k.replaceAll('\u0000', '\\u0000').replace(new RegExp(LONE_SURROGATE, 'g'), '\\ufffd');

/** Where the first string PostgreSQL cannot store is ("body/items/0/name"), or null. */
export function nulPath(value: unknown, at: string, depth = 0): string | null {
  if (typeof value === 'string') return unstorable(value) ? at : null;
  if (!value || typeof value !== 'object' || depth > 64 || Buffer.isBuffer(value)) return null;
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (unstorable(k)) return `${at}/${shown(k)}`;
    const found = nulPath(v, `${at}/${k}`, depth + 1);
    if (found) return found;
  }
  return null;
}

export function installInputGuards(app: FastifyInstance): void {
  app.addHook('preValidation', async (req) => {
    const at = nulPath(req.params, 'params') ?? nulPath(req.query, 'querystring') ?? nulPath(req.body, 'body');
    if (at) {
      const message = 'must not contain NUL (\\u0000) or unpaired surrogate (\\ud800-\\udfff) characters';
      const details = [{ path: at, message }];
      throw new AppError(400, 'VALIDATION_FAILED', 'The request is not valid', details);
    }
  });
}

// Shared request/response schemas (TypeBox: JSON Schema with static types, also the OpenAPI source).
import { Type, type TSchema } from 'typebox';

export const ErrorResponse = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: 'Stable machine-readable code, e.g. VALIDATION_FAILED' }),
      message: Type.String(),
      details: Type.Optional(Type.Unknown()),
    }),
  },
  { $id: 'ErrorResponse', description: 'Every failure has this shape' },
);

/** Standard error responses for the OpenAPI document. */
export const errorResponses = {
  400: Type.Ref('ErrorResponse'),
  401: Type.Ref('ErrorResponse'),
  403: Type.Ref('ErrorResponse'),
  404: Type.Ref('ErrorResponse'),
  409: Type.Ref('ErrorResponse'),
  422: Type.Ref('ErrorResponse'),
  429: Type.Ref('ErrorResponse'),
};

/** A timestamp: Date objects in handlers, ISO strings on the wire. */
/** The schema, or null. */
export const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

export const DateTime = Type.Unsafe<Date | string>({ type: 'string', format: 'date-time' });

export const IdParam = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER });
export const MerchantParams = Type.Object({ merchantId: IdParam }, { additionalProperties: false });

/** Money is always integer fen (1 yuan = 100 fen). */
export const Fen = (opts: { minimum?: number; description?: string } = {}) =>
  Type.Integer({
    minimum: opts.minimum ?? 0,
    maximum: 1_000_000_000_000,
    description: opts.description ?? 'Amount in fen (分)',
  });

/** PostgreSQL `integer` columns (positions, quantities, counters): what fits in 32 bits. */
export const INT32_MIN = -2_147_483_648;
export const INT32_MAX = 2_147_483_647;
export const Int32 = (opts: { minimum?: number; maximum?: number; description?: string; default?: number } = {}) =>
  Type.Integer({
    ...opts,
    minimum: Math.max(opts.minimum ?? INT32_MIN, INT32_MIN),
    maximum: Math.min(opts.maximum ?? INT32_MAX, INT32_MAX),
  });
/** A sort position in a list. */
export const Position = Type.Integer({ minimum: 0, maximum: 1_000_000, description: 'Sort position (smaller first)' });

export const Pagination = Type.Object({
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000, default: 1 })),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
});

export const Page = <T extends TSchema>(item: T) =>
  Type.Object({ items: Type.Array(item), total: Type.Integer(), page: Type.Integer(), pageSize: Type.Integer() });

export const Ok = Type.Object({ ok: Type.Literal(true) });

/** Strict object: unknown fields are a 400, never silently dropped. */
export const Strict = <P extends Record<string, TSchema>>(
  props: P,
  opts: { description?: string; $id?: string } = {},
) => Type.Object(props, { additionalProperties: false, ...opts });

/**
 * Request schemas as validated: every integer without its own bounds is held to the 32-bit range
 * of an `integer` column and every number to finite values, so "1e400", "Infinity" (query strings
 * coerce to it) or 2^53 are a 400, never a database error. Bounds a schema sets are kept: ids
 * (IdParam) and money (Fen) are bigint and say so.
 */
export function withNumberBounds<T>(schema: T): T {
  if (Array.isArray(schema)) return schema.map((s) => withNumberBounds(s)) as T;
  if (!schema || typeof schema !== 'object') return schema;
  const out: Record<string | symbol, unknown> = { ...(schema as Record<string | symbol, unknown>) };
  const types = ([] as unknown[]).concat(out.type ?? []);
  const hasMin = out.minimum !== undefined || out.exclusiveMinimum !== undefined;
  const hasMax = out.maximum !== undefined || out.exclusiveMaximum !== undefined;
  if (types.includes('integer')) {
    if (!hasMin) out.minimum = INT32_MIN;
    if (!hasMax) out.maximum = INT32_MAX;
  } else if (types.includes('number')) {
    if (!hasMin) out.minimum = -Number.MAX_VALUE;
    if (!hasMax) out.maximum = Number.MAX_VALUE;
  }
  for (const key of ['items', 'additionalProperties', 'not', 'if', 'then', 'else', 'contains']) {
    if (out[key] && typeof out[key] === 'object') out[key] = withNumberBounds(out[key]);
  }
  for (const key of ['anyOf', 'oneOf', 'allOf', 'prefixItems']) {
    if (Array.isArray(out[key])) out[key] = withNumberBounds(out[key]);
  }
  for (const key of ['properties', 'patternProperties', '$defs', 'definitions']) {
    const map = out[key];
    if (map && typeof map === 'object') {
      const entries = Object.entries(map as Record<string, unknown>);
      out[key] = Object.fromEntries(entries.map(([k, v]) => [k, withNumberBounds(v)]));
    }
  }
  return out as T;
}

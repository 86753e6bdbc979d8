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
  Type.Integer({ minimum: opts.minimum ?? 0, maximum: 1_000_000_000_000, description: opts.description ?? 'Amount in fen (分)' });

export const Pagination = Type.Object({
  page: Type.Optional(Type.Integer({ minimum: 1, default: 1 })),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
});

export const Page = <T extends TSchema>(item: T) =>
  Type.Object({ items: Type.Array(item), total: Type.Integer(), page: Type.Integer(), pageSize: Type.Integer() });

export const Ok = Type.Object({ ok: Type.Literal(true) });

/** Strict object: unknown fields are a 400, never silently dropped. */
export const Strict = <P extends Record<string, TSchema>>(props: P, opts: { description?: string; $id?: string } = {}) =>
  Type.Object(props, { additionalProperties: false, ...opts });

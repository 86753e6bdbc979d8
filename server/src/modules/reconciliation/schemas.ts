// Request and response schemas of the reconciliation routes (TypeBox: validation and OpenAPI).
import { Type } from 'typebox';
import { DateTime, IdParam, Nullable, Pagination, Strict } from '../../platform/http/schemas.ts';

export const RunStatusT = Type.Union(
  ['queued', 'running', 'clean', 'discrepancies', 'failed'].map((s) => Type.Literal(s)),
);

export const RunT = Type.Object(
  {
    id: Type.Integer(),
    scope: Type.Union([Type.Literal('platform'), Type.Literal('shop')], {
      description: "platform: every shop; shop: one shop's books",
    }),
    merchantId: Nullable(Type.Integer()),
    from: DateTime,
    to: DateTime,
    trigger: Type.String({ description: 'schedule (the daily run), manual (console/API) or cli (npm run reconcile)' }),
    status: RunStatusT,
    clean: Type.Boolean({ description: 'true only for a finished run that found nothing wrong' }),
    summary: Type.String({ description: 'One line: "All clean: …" or what was found' }),
    discrepancyCount: Type.Integer(),
    error: Nullable(Type.String()),
    createdAt: DateTime,
    startedAt: Nullable(DateTime),
    finishedAt: Nullable(DateTime),
  },
  { $id: 'ReconciliationRun' },
);

export const CheckOutcomeT = Type.Object({
  name: Type.String(),
  description: Type.String(),
  status: Type.Union([Type.Literal('clean'), Type.Literal('discrepancies'), Type.Literal('error')]),
  count: Type.Integer(),
  error: Type.Optional(Type.String()),
  ms: Type.Integer(),
});

export const DiscrepancyT = Type.Object({
  id: Type.Integer(),
  check: Type.String(),
  merchantId: Nullable(Type.Integer()),
  subject: Type.String({ description: 'What is wrong, e.g. order:12 sku:3' }),
  message: Type.String(),
  expected: Type.String(),
  actual: Type.String(),
  rows: Type.Array(Type.Unknown(), { description: 'The rows involved: ids and amounts' }),
});

export const ReportT = Type.Object(
  {
    run: Type.Ref('ReconciliationRun'),
    checks: Type.Array(CheckOutcomeT, {
      description: 'Every check of the run and what it found (empty until the run finishes)',
    }),
    discrepancies: Type.Array(DiscrepancyT, {
      description: 'Every discrepancy with the rows involved (at most 1,000 stored per check)',
    }),
  },
  { $id: 'ReconciliationReport' },
);

const range = {
  day: Type.Optional(Type.String({ format: 'date', description: 'A local day (report time zone), e.g. 2026-12-01' })),
  from: Type.Optional(Type.String({ format: 'date-time' })),
  to: Type.Optional(Type.String({ format: 'date-time', description: 'Exclusive; default now' })),
};
export const StartShopRunBody = Strict(range, { description: 'A day, or from/to; nothing: everything up to now' });
export const StartPlatformRunBody = Strict(
  { ...range, merchantId: Type.Optional(IdParam) },
  {
    description: 'merchantId: one shop; none: every shop',
  },
);

export const RunListQuery = Strict({ ...Pagination.properties });
export const PlatformRunListQuery = Strict({ ...Pagination.properties, merchantId: Type.Optional(IdParam) });
export const CheckT = Type.Object({ name: Type.String(), description: Type.String() });

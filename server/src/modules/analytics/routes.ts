import { Type } from 'typebox';
import { ANY_MEMBER, OPERATORS } from '../../platform/auth/access.ts';
import type { AppContext, Http } from '../../platform/context.ts';
import {
  DateTime,
  errorResponses,
  IdParam,
  MerchantParams,
  Nullable,
  Ok,
  Strict,
} from '../../platform/http/schemas.ts';
import { GOAL_EVENTS } from './experiments.ts';
import { CLIENT_EVENT_TYPES, MAX_EVENTS_PER_BEACON, MAX_HEARTBEAT_SECONDS } from './ingest.ts';
import { FUNNEL_STAGES } from './room-metrics.ts';

const security = [{ bearer: [] }];
const tags = ['analytics'];
const DeviceId = Type.String({
  minLength: 8,
  maxLength: 64,
  pattern: '^[A-Za-z0-9_-]+$',
  description: 'Anonymous device id the client keeps (e.g. in localStorage)',
});
const MerchantRoom = Strict({ merchantId: IdParam, roomId: IdParam });

const BeaconEvent = Strict({
  id: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 64,
      description: 'Client event id; a retried beacon with the same id is counted once',
    }),
  ),
  type: Type.String({ minLength: 1, maxLength: 40, description: `One of ${CLIENT_EVENT_TYPES.join(', ')}` }),
  // Epoch milliseconds do not fit the int4 bound the validator gives integers without their own.
  at: Type.Optional(
    Type.Union([Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }), Type.String({ format: 'date-time' })], {
      description: 'When it happened (epoch ms or ISO); within the last 24 h',
    }),
  ),
  roomId: Type.Optional(IdParam),
  productId: Type.Optional(IdParam),
  seconds: Type.Optional(
    Type.Integer({
      minimum: 0,
      maximum: 3600,
      description: `heartbeat: seconds watched since the previous one (at most ${MAX_HEARTBEAT_SECONDS} count)`,
    }),
  ),
  props: Type.Optional(
    Type.Record(Type.String({ maxLength: 40 }), Type.Unknown(), { description: 'Free-form details, at most 2 KB' }),
  ),
  sharer: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 64,
      pattern: '^[A-Za-z0-9_-]+$',
      description:
        'Who shared the page this came from: the ?sharer= a shared mini-program page was opened with (user id or share token)',
    }),
  ),
});
const Summary = Type.Object({
  views: Type.Integer(),
  viewers: Type.Integer(),
  avgWatchSeconds: Type.Integer(),
  newFollowers: Type.Integer(),
  comments: Type.Integer(),
  interactionRate: Type.Number(),
  productClicks: Type.Integer(),
  carts: Type.Integer(),
  orders: Type.Integer(),
  paidOrders: Type.Integer(),
  buyers: Type.Integer(),
  gmvFen: Type.Integer(),
  gpmFen: Type.Integer({ description: 'GMV per 1,000 views, in fen' }),
  refundFen: Type.Integer(),
  conversionRate: Type.Number(),
  peakOnline: Type.Integer(),
});
const Funnel = Type.Array(
  Type.Object({
    stage: Type.Union(FUNNEL_STAGES.map((s) => Type.Literal(s))),
    visitors: Type.Integer(),
    rateFromPrevious: Nullable(Type.Number()),
  }),
);
const Minute = Type.Object({
  at: DateTime,
  online: Type.Integer(),
  views: Type.Integer(),
  comments: Type.Integer(),
  follows: Type.Integer(),
  clicks: Type.Integer(),
  orders: Type.Integer(),
  paidOrders: Type.Integer(),
  gmvFen: Type.Integer(),
  watchSeconds: Type.Integer(),
});
const Metric = Type.Union(
  [
    Type.Literal('online_drop_pct'),
    Type.Literal('online_below'),
    Type.Literal('conversion_below'),
    Type.Literal('gpm_below'),
  ],
  {
    description:
      'online_drop_pct: % drop of online viewers within a minute; online_below: viewers; conversion_below: % of viewers who paid; gpm_below: fen per 1,000 views',
  },
);
const Rule = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  metric: Metric,
  threshold: Type.Number(),
  roomId: Nullable(Type.Integer()),
  minVisitors: Type.Integer(),
  cooldownSec: Type.Integer(),
  webhookUrl: Nullable(Type.String()),
  enabled: Type.Boolean(),
  createdAt: DateTime,
});
const Variant = Type.Object(
  {
    key: Type.String({ minLength: 1, maxLength: 40, pattern: '^[A-Za-z0-9_-]+$' }),
    weight: Type.Integer({ minimum: 1, maximum: 1000 }),
  },
  { additionalProperties: false },
);
const Experiment = Type.Object({
  id: Type.Integer(),
  key: Type.String(),
  name: Type.String(),
  variants: Type.Array(Variant),
  goal: Type.String(),
  status: Type.Union([Type.Literal('running'), Type.Literal('stopped')]),
  createdAt: DateTime,
});

export function analyticsRoutes(app: Http, ctx: AppContext): void {
  const a = ctx.services.analytics;

  app.post(
    '/api/analytics/events',
    {
      config: { access: 'public', rateLimit: { bucket: 'analytics.beacon', max: 600, windowSec: 60, by: 'ip' } },
      bodyLimit: 64 * 1024,
      schema: {
        tags,
        summary:
          'Client event beacon: up to 100 events per call; bots are dropped; bad events are rejected one by one, the rest kept',
        body: Strict({
          deviceId: DeviceId,
          events: Type.Array(BeaconEvent, { minItems: 1, maxItems: MAX_EVENTS_PER_BEACON }),
        }),
        response: {
          202: Type.Object({
            accepted: Type.Integer(),
            duplicates: Type.Integer(),
            filtered: Type.Boolean(),
            rejected: Type.Array(Type.Object({ index: Type.Integer(), code: Type.String() })),
          }),
          ...errorResponses,
        },
      },
    },
    async (req, reply) => {
      const r = await a.ingest.beacon({
        deviceId: req.body.deviceId,
        events: req.body.events,
        userId: req.actor?.userId ?? null,
        userAgent: req.headers['user-agent'],
      });
      return reply.code(202).send(r);
    },
  );

  app.get(
    '/api/merchants/:merchantId/analytics/rooms/:roomId',
    {
      config: { access: ANY_MEMBER },
      schema: {
        tags,
        security,
        summary: "A room's live numbers: cumulative summary, funnel, per-minute series, products",
        params: MerchantRoom,
        response: {
          200: Type.Object({
            room: Type.Object({
              id: Type.Integer(),
              title: Type.String(),
              status: Type.String(),
              startedAt: Nullable(DateTime),
              endedAt: Nullable(DateTime),
            }),
            onlineNow: Type.Integer(),
            asOf: Nullable(DateTime),
            summary: Summary,
            funnel: Funnel,
            series: Type.Array(Minute),
            products: Type.Array(
              Type.Object({
                productId: Type.Integer(),
                title: Type.String(),
                clicks: Type.Integer(),
                carts: Type.Integer(),
                orders: Type.Integer(),
                paidOrders: Type.Integer(),
                gmvFen: Type.Integer(),
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => a.room(req.params.merchantId, req.params.roomId),
  );

  app.get(
    '/api/merchants/:merchantId/analytics/report',
    {
      config: { access: OPERATORS },
      schema: {
        tags,
        security,
        summary: 'Report from the hour/day rollups: over time, by room or by product',
        params: MerchantParams,
        querystring: Strict({
          by: Type.Optional(
            Type.Union([Type.Literal('time'), Type.Literal('room'), Type.Literal('product')], { default: 'time' }),
          ),
          grain: Type.Optional(Type.Union([Type.Literal('hour'), Type.Literal('day')], { default: 'day' })),
          from: Type.Optional(Type.String({ format: 'date-time' })),
          to: Type.Optional(Type.String({ format: 'date-time' })),
          roomId: Type.Optional(IdParam),
        }),
        response: {
          200: Type.Object({
            from: DateTime,
            to: DateTime,
            by: Type.String(),
            grain: Type.String(),
            rows: Type.Array(
              Type.Object({
                key: Type.String(),
                label: Type.String(),
                visitors: Nullable(Type.Integer()),
                pageViews: Type.Integer(),
                enters: Type.Integer(),
                watchSeconds: Type.Integer(),
                clicks: Type.Integer(),
                carts: Type.Integer(),
                comments: Type.Integer(),
                follows: Type.Integer(),
                orders: Type.Integer(),
                paidOrders: Type.Integer(),
                gmvFen: Type.Integer(),
                refundFen: Type.Integer(),
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) =>
      a.report(req.params.merchantId, {
        by: req.query.by ?? 'time',
        grain: req.query.grain ?? 'day',
        from: req.query.from,
        to: req.query.to,
        roomId: req.query.roomId,
      }),
  );

  // Alerts
  app.get(
    '/api/merchants/:merchantId/alert-rules',
    {
      config: { access: ANY_MEMBER },
      schema: {
        tags,
        security,
        summary: 'Alert rules',
        params: MerchantParams,
        response: { 200: Type.Array(Rule), ...errorResponses },
      },
    },
    async (req) => a.alerts.rules(req.params.merchantId),
  );
  app.post(
    '/api/merchants/:merchantId/alert-rules',
    {
      config: { access: OPERATORS },
      schema: {
        tags,
        security,
        summary: 'Create an alert rule (all live rooms, or one)',
        params: MerchantParams,
        body: Strict({
          name: Type.String({ minLength: 1, maxLength: 60 }),
          metric: Metric,
          threshold: Type.Number({ minimum: 0, maximum: 1_000_000_000 }),
          roomId: Type.Optional(Nullable(IdParam)),
          minVisitors: Type.Optional(
            Type.Integer({
              minimum: 0,
              maximum: 1_000_000,
              description: 'Judge only with at least this many viewers (online before, for drops)',
            }),
          ),
          cooldownSec: Type.Optional(Type.Integer({ minimum: 10, maximum: 86_400 })),
          webhookUrl: Type.Optional(Nullable(Type.String({ maxLength: 500, format: 'uri' }))),
        }),
        response: {
          201: Type.Object({
            ...Rule.properties,
            webhookSecret: Nullable(
              Type.String({
                description: 'Shown only now: verify X-LiveMall-Signature (t=…,v1=HMAC-SHA256 of "t.body") with it',
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async (req, reply) => reply.code(201).send(await a.alerts.createRule(req.params.merchantId, req.body)),
  );
  app.delete(
    '/api/merchants/:merchantId/alert-rules/:ruleId',
    {
      config: { access: OPERATORS },
      schema: {
        tags,
        security,
        summary: 'Delete an alert rule',
        params: Strict({ merchantId: IdParam, ruleId: IdParam }),
        response: { 200: Ok, ...errorResponses },
      },
    },
    async (req) => {
      await a.alerts.deleteRule(req.params.merchantId, req.params.ruleId);
      return { ok: true as const };
    },
  );
  app.get(
    '/api/merchants/:merchantId/alerts',
    {
      config: { access: ANY_MEMBER },
      schema: {
        tags,
        security,
        summary: 'Alerts that fired (console notifications), newest first',
        params: MerchantParams,
        querystring: Strict({
          roomId: Type.Optional(IdParam),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
        }),
        response: {
          200: Type.Array(
            Type.Object({
              id: Type.Integer(),
              ruleId: Type.Integer(),
              ruleName: Type.String(),
              metric: Metric,
              roomId: Type.Integer(),
              value: Type.Number(),
              threshold: Type.Number(),
              message: Type.String(),
              firedAt: DateTime,
              acknowledgedAt: Nullable(DateTime),
            }),
          ),
          ...errorResponses,
        },
      },
    },
    async (req) => a.alerts.alerts(req.params.merchantId, req.query),
  );
  app.post(
    '/api/merchants/:merchantId/alerts/:alertId/ack',
    {
      config: { access: ANY_MEMBER },
      schema: {
        tags,
        security,
        summary: 'Mark an alert as seen',
        params: Strict({ merchantId: IdParam, alertId: IdParam }),
        response: { 200: Ok, ...errorResponses },
      },
    },
    async (req) => {
      await a.alerts.acknowledge(req.params.merchantId, req.params.alertId);
      return { ok: true as const };
    },
  );

  // A/B tests
  app.get(
    '/api/merchants/:merchantId/experiments',
    {
      config: { access: OPERATORS },
      schema: {
        tags,
        security,
        summary: 'A/B experiments',
        params: MerchantParams,
        response: { 200: Type.Array(Experiment), ...errorResponses },
      },
    },
    async (req) => a.experiments.list(req.params.merchantId),
  );
  app.post(
    '/api/merchants/:merchantId/experiments',
    {
      config: { access: OPERATORS },
      schema: {
        tags,
        security,
        summary: 'Start an A/B experiment; the first variant is the control',
        params: MerchantParams,
        body: Strict({
          key: Type.String({ minLength: 1, maxLength: 60, pattern: '^[A-Za-z0-9_.-]+$' }),
          name: Type.String({ minLength: 1, maxLength: 100 }),
          variants: Type.Array(Variant, { minItems: 2, maxItems: 10 }),
          goal: Type.Union(
            GOAL_EVENTS.map((g) => Type.Literal(g)),
            { description: 'The event that counts as a conversion' },
          ),
        }),
        response: { 201: Experiment, ...errorResponses },
      },
    },
    async (req, reply) => reply.code(201).send(await a.experiments.create(req.params.merchantId, req.body)),
  );
  app.put(
    '/api/merchants/:merchantId/experiments/:experimentId/status',
    {
      config: { access: OPERATORS },
      schema: {
        tags,
        security,
        summary: 'Stop or restart an experiment',
        params: Strict({ merchantId: IdParam, experimentId: IdParam }),
        body: Strict({ status: Type.Union([Type.Literal('running'), Type.Literal('stopped')]) }),
        response: { 200: Experiment, ...errorResponses },
      },
    },
    async (req) => a.experiments.setStatus(req.params.merchantId, req.params.experimentId, req.body.status),
  );
  app.get(
    '/api/merchants/:merchantId/experiments/:experimentId/results',
    {
      config: { access: OPERATORS },
      schema: {
        tags,
        security,
        summary: 'Exposures and conversions per variant, with a two-proportion z-test against the control',
        params: Strict({ merchantId: IdParam, experimentId: IdParam }),
        response: {
          200: Type.Object({
            experiment: Experiment,
            variants: Type.Array(
              Type.Object({
                variant: Type.String(),
                exposures: Type.Integer(),
                conversions: Type.Integer(),
                conversionRate: Type.Number(),
                liftVsControl: Nullable(Type.Number()),
                z: Nullable(Type.Number()),
                pValue: Nullable(Type.Number()),
                significant: Nullable(Type.Boolean()),
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => a.experiments.results(req.params.merchantId, req.params.experimentId),
  );
  app.post(
    '/api/shops/:merchantId/experiments/:key/assignment',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: "This visitor's variant (stable per device, or per user without one); records the exposure",
        params: Strict({ merchantId: IdParam, key: Type.String({ minLength: 1, maxLength: 60 }) }),
        body: Strict({ deviceId: Type.Optional(DeviceId) }),
        response: {
          200: Type.Object({ experimentId: Type.Integer(), variant: Type.String(), running: Type.Boolean() }),
          ...errorResponses,
        },
      },
    },
    async (req) =>
      a.experiments.assign(req.params.merchantId, req.params.key, {
        deviceId: req.body.deviceId,
        userId: req.actor?.userId ?? null,
      }),
  );
}

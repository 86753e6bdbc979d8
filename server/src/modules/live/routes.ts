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

const security = [{ bearer: [] }];
const RoomParams = Strict({ merchantId: IdParam, roomId: IdParam });

const Viewers = Type.Object({ online: Type.Integer(), cumulative: Type.Integer() });
const RoomCard = Type.Object({
  id: Type.Integer(),
  merchantId: Type.Integer(),
  merchantName: Type.String(),
  title: Type.String(),
  coverUrl: Nullable(Type.String()),
  status: Type.Union([Type.Literal('scheduled'), Type.Literal('live'), Type.Literal('ended')]),
  isPrivate: Type.Boolean(),
  scheduledAt: Nullable(DateTime),
  startedAt: Nullable(DateTime),
  endedAt: Nullable(DateTime),
  reminders: Type.Integer(),
  viewers: Viewers,
});
const BagProduct = Type.Object({
  id: Type.Integer(),
  merchantId: Type.Integer(),
  title: Type.String(),
  coverUrl: Nullable(Type.String()),
  minPriceFen: Type.Integer(),
  maxPriceFen: Type.Integer(),
  originalPriceFen: Type.Integer(),
  onShelf: Type.Boolean(),
  stock: Type.Integer(),
  sales: Type.Integer(),
  explaining: Type.Boolean({ description: 'The anchor is presenting it now (讲解中)' }),
});
const RoomDetail = Type.Intersect([
  RoomCard,
  Type.Object({
    anchorUserId: Nullable(Type.Integer()),
    pinnedProductId: Nullable(Type.Integer()),
    reminded: Type.Boolean(),
    play: Type.Object(
      { flv: Nullable(Type.String()), hls: Nullable(Type.String()), expiresAt: Type.Optional(DateTime) },
      { description: 'Play URLs while live; signed and expiring for private rooms' },
    ),
    replays: Type.Array(
      Type.Object({
        sessionId: Type.Integer(),
        startedAt: DateTime,
        endedAt: Nullable(DateTime),
        durationSec: Type.Integer(),
        hls: Type.String(),
      }),
    ),
    products: Type.Array(BagProduct),
  }),
]);
const RoomBody = Strict({
  title: Type.String({ minLength: 1, maxLength: 60 }),
  coverUrl: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
  anchorUserId: Type.Optional(Nullable(IdParam)),
  scheduledAt: Type.Optional(Nullable(Type.String({ format: 'date-time' }))),
  productIds: Type.Optional(Type.Array(IdParam, { maxItems: 200, description: 'The product bag, in display order' })),
  visibility: Type.Optional(Type.Union([Type.Literal('public'), Type.Literal('private')])),
});
const InviteT = Type.Object({
  id: Type.Integer(),
  roomId: Type.Integer(),
  note: Type.String(),
  expiresAt: DateTime,
  revokedAt: Nullable(DateTime),
  createdAt: DateTime,
  createdBy: Type.Integer(),
});
const InviteLinkT = Type.Object({
  inviteId: Type.Integer(),
  url: Type.String({ description: 'The room API with the invitation' }),
  pageUrl: Type.String({ description: "The shop's room page with the invitation: send this to the viewer" }),
  token: Type.String(),
  expiresAt: DateTime,
});
const PushSettings = Type.Object({
  server: Type.String(),
  streamKey: Type.String(),
  pushUrl: Type.String(),
  advice: Type.String(),
  obs: Type.Object({
    service: Type.String(),
    server: Type.String(),
    streamKey: Type.String(),
    keyframeIntervalSec: Type.Integer(),
    videoBitrateKbps: Type.Integer(),
    audioBitrateKbps: Type.Integer(),
    resolution: Type.String(),
    fps: Type.Integer(),
    encoder: Type.String(),
    rateControl: Type.String(),
  }),
});

export function liveRoutes(app: Http, ctx: AppContext): void {
  const rooms = ctx.services.live;
  const queries = ctx.services.liveQueries;
  const invites = ctx.services.roomInvites;

  app.get(
    '/api/rooms',
    {
      config: { access: 'public' },
      schema: {
        tags: ['live'],
        summary: 'Rooms live now, upcoming trailers (直播预告) or replays; private rooms never listed',
        querystring: Strict({
          kind: Type.Union([Type.Literal('live'), Type.Literal('upcoming'), Type.Literal('replays')], {
            default: 'live',
          }),
          merchantId: Type.Optional(IdParam),
        }),
        response: { 200: Type.Array(RoomCard), ...errorResponses },
      },
    },
    async (req) => queries.list(req.query.kind ?? 'live', req.query.merchantId),
  );

  app.get(
    '/api/rooms/:roomId',
    {
      config: { access: 'public' },
      schema: {
        tags: ['live'],
        summary:
          'A room: status, play URLs, product bag with the "explaining" pin, replays. Private rooms need an invite token (or shop membership)',
        params: Strict({ roomId: IdParam }),
        querystring: Strict({ invite: Type.Optional(Type.String({ maxLength: 1000 })) }),
        response: { 200: RoomDetail, ...errorResponses },
      },
    },
    async (req) => queries.detail(req.params.roomId, { actor: req.actor, invite: req.query.invite }),
  );

  for (const [method, on] of [
    ['PUT', true],
    ['DELETE', false],
  ] as const) {
    app.route({
      method,
      url: '/api/rooms/:roomId/remind',
      config: { access: 'user' },
      schema: {
        tags: ['live'],
        summary: on ? 'Remind me when this show starts (预约)' : 'Cancel my reminder',
        security,
        params: Strict({ roomId: IdParam }),
        response: { 200: Type.Object({ reminded: Type.Boolean(), subscribers: Type.Integer() }), ...errorResponses },
      },
      handler: async (req) => rooms.remind(req.actor!.userId, (req.params as { roomId: number }).roomId, on),
    });
  }

  app.get(
    '/api/merchants/:merchantId/rooms',
    {
      config: { access: ANY_MEMBER },
      schema: {
        tags: ['live'],
        summary: "The shop's rooms, newest first",
        security,
        params: MerchantParams,
        response: { 200: Type.Array(RoomCard), ...errorResponses },
      },
    },
    async (req) => queries.merchantList(req.actor!, req.params.merchantId),
  );

  app.post(
    '/api/merchants/:merchantId/rooms',
    {
      config: { access: OPERATORS },
      schema: {
        tags: ['live'],
        summary: 'Create (schedule) a room with its product bag; a stream key is issued',
        security,
        params: MerchantParams,
        body: RoomBody,
        response: { 201: RoomDetail, ...errorResponses },
      },
    },
    async (req, reply) => {
      const id = await rooms.create(req.actor!, req.params.merchantId, req.body);
      return reply.status(201).send(await queries.detail(id, { actor: req.actor! }));
    },
  );

  app.patch(
    '/api/merchants/:merchantId/rooms/:roomId',
    {
      config: { access: OPERATORS },
      schema: {
        tags: ['live'],
        summary: 'Edit a room (title, cover, anchor, schedule, visibility, product bag order)',
        security,
        params: RoomParams,
        body: Type.Partial(RoomBody),
        response: { 200: RoomDetail, ...errorResponses },
      },
    },
    async (req) => {
      await rooms.update(req.actor!, req.params.merchantId, req.params.roomId, req.body);
      return queries.detail(req.params.roomId, { actor: req.actor! });
    },
  );

  app.get(
    '/api/merchants/:merchantId/rooms/:roomId/push',
    {
      config: { access: ANY_MEMBER },
      schema: {
        tags: ['live'],
        summary: 'Push URL, stream key and OBS settings for the anchor',
        security,
        params: RoomParams,
        response: { 200: PushSettings, ...errorResponses },
      },
    },
    async (req) => rooms.pushSettings(req.actor!, req.params.merchantId, req.params.roomId),
  );

  app.post(
    '/api/merchants/:merchantId/rooms/:roomId/stream-key',
    {
      config: { access: OPERATORS },
      schema: {
        tags: ['live'],
        summary: 'Rotate the stream key (the old one stops working for new pushes)',
        security,
        params: RoomParams,
        response: { 200: PushSettings, ...errorResponses },
      },
    },
    async (req) => {
      await rooms.rotateKey(req.actor!, req.params.merchantId, req.params.roomId);
      return rooms.pushSettings(req.actor!, req.params.merchantId, req.params.roomId);
    },
  );

  app.put(
    '/api/merchants/:merchantId/rooms/:roomId/pin',
    {
      config: { access: ANY_MEMBER },
      schema: {
        tags: ['live'],
        summary: '"Now explaining" (讲解中): pin a product of the bag, or null to clear; pushed to viewers',
        security,
        params: RoomParams,
        body: Strict({ productId: Nullable(IdParam) }),
        response: { 200: Ok, ...errorResponses },
      },
    },
    async (req) => {
      await rooms.pin(req.actor!, req.params.merchantId, req.params.roomId, req.body.productId);
      return { ok: true as const };
    },
  );

  app.post(
    '/api/merchants/:merchantId/rooms/:roomId/end',
    {
      config: { access: ANY_MEMBER },
      schema: {
        tags: ['live'],
        summary: 'End the show now (the recording becomes a replay)',
        security,
        params: RoomParams,
        response: { 200: Ok, ...errorResponses },
      },
    },
    async (req) => {
      await rooms.endByStaff(req.actor!, req.params.merchantId, req.params.roomId);
      return { ok: true as const };
    },
  );

  app.post(
    '/api/merchants/:merchantId/rooms/:roomId/invite',
    {
      config: { access: OPERATORS },
      schema: {
        tags: ['live'],
        summary: 'An expiring, revocable invite link for a private room',
        security,
        params: RoomParams,
        body: Strict({
          ttlSec: Type.Optional(Type.Integer({ minimum: 60, maximum: 30 * 86400, default: 7 * 86400 })),
          note: Type.Optional(Type.String({ maxLength: 100, description: 'Who the link is for (shown in the list)' })),
        }),
        response: { 200: InviteLinkT, ...errorResponses },
      },
    },
    async (req) => {
      const { merchantId, roomId } = req.params;
      return invites.create(req.actor!, merchantId, roomId, req.body.ttlSec ?? 7 * 86400, req.body.note);
    },
  );

  app.get(
    '/api/merchants/:merchantId/rooms/:roomId/invites',
    {
      config: { access: OPERATORS },
      schema: {
        tags: ['live'],
        summary: "The room's invite links, newest first",
        security,
        params: RoomParams,
        response: { 200: Type.Array(InviteT), ...errorResponses },
      },
    },
    async (req) => invites.list(req.actor!, req.params.merchantId, req.params.roomId),
  );

  app.delete(
    '/api/merchants/:merchantId/rooms/:roomId/invites/:inviteId',
    {
      config: { access: OPERATORS },
      schema: {
        tags: ['live'],
        summary: 'Withdraw an invite link: it stops opening the room; holders watching now are let out',
        security,
        params: Strict({ merchantId: IdParam, roomId: IdParam, inviteId: IdParam }),
        response: { 200: Ok, ...errorResponses },
      },
    },
    async (req) => {
      await invites.revoke(req.actor!, req.params.merchantId, req.params.roomId, req.params.inviteId);
      return { ok: true as const };
    },
  );
}

import { Type } from 'typebox';
import { ANY_MEMBER, OPERATORS } from '../../platform/auth/access.ts';
import type { AppContext, Http } from '../../platform/context.ts';
import { DateTime, errorResponses, IdParam, MerchantParams, Ok, Strict } from '../../platform/http/schemas.ts';

const security = [{ bearer: [] }];
/** A private room's invitation: viewer actions on what is in the room need it too. */
const ViewerQuery = Strict({
  invite: Type.Optional(Type.String({ maxLength: 1000, description: "A private room's invitation" })),
});
const RoomParams = Strict({ merchantId: IdParam, roomId: IdParam });
const Action = Type.Union([Type.Literal('mask'), Type.Literal('block'), Type.Literal('review')], {
  description: 'mask: shown with ***; block: refused; review: held until staff approve',
});
const WordT = Type.Object({ id: Type.Integer(), word: Type.String(), action: Type.String(), createdAt: DateTime });
const WordsBody = Strict({
  words: Type.Array(Strict({ word: Type.String({ minLength: 1, maxLength: 40 }), action: Action }), {
    minItems: 1,
    maxItems: 1000,
  }),
});
const MessageT = Type.Object({
  id: Type.Integer(),
  seq: Type.Union([Type.Integer(), Type.Null()]),
  userId: Type.Integer(),
  nickname: Type.String(),
  text: Type.String(),
  originalText: Type.String(),
  status: Type.String(),
  moderation: Type.Unknown(),
  createdAt: DateTime,
});
const ReportT = Type.Object({
  id: Type.Integer(),
  roomId: Type.Integer(),
  seq: Type.Integer(),
  reason: Type.String(),
  status: Type.String(),
  createdAt: DateTime,
  messageId: Type.Union([Type.Integer(), Type.Null()]),
  text: Type.Union([Type.String(), Type.Null()]),
  userId: Type.Union([Type.Integer(), Type.Null()]),
});
const ClaimedT = Type.Object({
  couponId: Type.Integer(),
  templateId: Type.Integer(),
  validFrom: DateTime,
  validUntil: DateTime,
  remaining: Type.Integer(),
});
const DropT = Type.Object({
  dropId: Type.Integer(),
  roomId: Type.Integer(),
  templateId: Type.Integer(),
  title: Type.String(),
  description: Type.String(),
  quantity: Type.Integer(),
  remaining: Type.Integer(),
  endsAt: DateTime,
});

const Prize = Strict({
  kind: Type.Union([Type.Literal('product'), Type.Literal('coupon'), Type.Literal('coins'), Type.Literal('other')]),
  description: Type.String({ minLength: 1, maxLength: 100 }),
  productId: Type.Optional(IdParam),
  couponId: Type.Optional(IdParam),
  coins: Type.Optional(Type.Integer({ minimum: 1 })),
});
const Condition = Type.Union([
  Strict({ kind: Type.Literal('comment'), keyword: Type.String({ minLength: 1, maxLength: 20 }) }),
  Strict({ kind: Type.Literal('follow') }),
  Strict({ kind: Type.Literal('watch'), minutes: Type.Integer({ minimum: 1, maximum: 180 }) }),
  Strict({ kind: Type.Literal('share_room') }),
]);
const BagT = Type.Object({
  bagId: Type.Integer(),
  roomId: Type.Integer(),
  title: Type.String(),
  prize: Type.Unknown(),
  winnersCount: Type.Integer(),
  condition: Type.Unknown(),
  status: Type.String(),
  drawAt: DateTime,
  seedHash: Type.String(),
  seed: Type.Union([Type.String(), Type.Null()], { description: 'revealed at the draw' }),
  entrants: Type.Integer(),
  entrantIds: Type.Array(Type.Integer(), {
    description: 'after the draw, sorted: recompute the winners with the algorithm',
  }),
  winners: Type.Array(Type.Object({ userId: Type.Integer(), rank: Type.Integer(), nickname: Type.String() })),
  algorithm: Type.String(),
});

export function interactionRoutes(app: Http, ctx: AppContext): void {
  const { chat, couponDrops, luckyBags, gifts } = ctx.services;

  // ---- lucky bags ----
  app.post(
    '/api/merchants/:merchantId/rooms/:roomId/lucky-bags',
    {
      config: { access: ANY_MEMBER },
      schema: {
        tags: ['interaction'],
        summary:
          'Start a lucky bag (福袋) in the live room: prize, winners, entry condition, countdown; the draw seed is committed now (seedHash)',
        security,
        params: RoomParams,
        body: Strict({
          title: Type.String({ minLength: 1, maxLength: 40 }),
          prize: Prize,
          winners: Type.Integer({ minimum: 1, maximum: 1000 }),
          condition: Condition,
          minutes: Type.Integer({ minimum: 1, maximum: 120 }),
        }),
        response: { 201: BagT, ...errorResponses },
      },
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(await luckyBags.start(req.actor!, req.params.merchantId, req.params.roomId, req.body as never)),
  );
  app.get(
    '/api/lucky-bags/:bagId',
    {
      config: { access: 'public' },
      schema: {
        tags: ['interaction'],
        summary:
          'A lucky bag; after the draw: the revealed seed, the sorted entrants and the winners, enough to verify',
        params: Strict({ bagId: IdParam }),
        querystring: ViewerQuery,
        response: { 200: BagT, ...errorResponses },
      },
    },
    async (req) => luckyBags.viewAsViewer(req.params.bagId, { actor: req.actor, invite: req.query.invite }),
  );
  app.post(
    '/api/lucky-bags/:bagId/enter',
    {
      config: { access: 'user' },
      schema: {
        tags: ['interaction'],
        summary: 'Enter a lucky bag (CONDITION_NOT_MET, LUCKY_BAG_CLOSED)',
        security,
        params: Strict({ bagId: IdParam }),
        querystring: ViewerQuery,
        response: { 200: Type.Object({ entered: Type.Boolean() }), ...errorResponses },
      },
    },
    async (req) => luckyBags.enterAsViewer(req.actor!, req.params.bagId, req.query.invite),
  );

  // ---- gifts and coins ----
  app.get(
    '/api/gifts',
    {
      config: { access: 'public' },
      schema: {
        tags: ['interaction'],
        summary: 'The gift catalog',
        response: {
          200: Type.Array(
            Type.Object({
              id: Type.Integer(),
              name: Type.String(),
              iconUrl: Type.Union([Type.String(), Type.Null()]),
              priceCoins: Type.Integer(),
              effect: Type.String(),
            }),
          ),
          ...errorResponses,
        },
      },
    },
    async () => gifts.catalog(),
  );
  app.get(
    '/api/me/wallet',
    {
      config: { access: 'user' },
      schema: {
        tags: ['interaction'],
        summary: 'My coin balance and ledger',
        security,
        response: {
          200: Type.Object({
            balance: Type.Integer(),
            fenPerCoin: Type.Integer(),
            ledger: Type.Array(
              Type.Object({
                id: Type.Integer(),
                delta: Type.Integer(),
                balanceAfter: Type.Integer(),
                reason: Type.String(),
                ref: Type.String(),
                at: DateTime,
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => gifts.wallet(req.actor!.userId),
  );
  app.post(
    '/api/me/wallet/topups',
    {
      config: { access: 'user' },
      schema: {
        tags: ['interaction'],
        summary: 'Top up coins: returns the cashier to pay; coins are credited when the payment succeeds',
        security,
        body: Strict({ coins: Type.Integer({ minimum: 1, maximum: 1_000_000 }) }),
        response: {
          201: Type.Object({
            topupId: Type.Integer(),
            coins: Type.Integer(),
            amountFen: Type.Integer(),
            paymentNo: Type.String(),
            // The test-money cashier where the sandbox is on; otherwise null: start the payment with a provider.
            cashierUrl: Type.Union([Type.String(), Type.Null()]),
          }),
          ...errorResponses,
        },
      },
    },
    async (req, reply) => reply.status(201).send(await gifts.topup(req.actor!.userId, req.body.coins)),
  );
  app.get(
    '/api/merchants/:merchantId/gift-earnings',
    {
      config: { access: ANY_MEMBER },
      schema: {
        tags: ['interaction'],
        summary: "Gift earnings: gross, the shop's share and the platform's commission (fen)",
        security,
        params: MerchantParams,
        response: {
          200: Type.Object({
            gifts: Type.Integer(),
            grossFen: Type.Integer(),
            merchantFen: Type.Integer(),
            platformFen: Type.Integer(),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      await ctx.services.merchants.requireRole(req.actor!, req.params.merchantId);
      return gifts.earnings(req.params.merchantId);
    },
  );

  app.get(
    '/api/merchants/:merchantId/rooms/:roomId/chat',
    {
      config: { access: ANY_MEMBER },
      schema: {
        tags: ['interaction'],
        summary: 'Chat log for review (newest first); status=held lists messages waiting for approval',
        security,
        params: RoomParams,
        querystring: Strict({
          status: Type.Optional(Type.Union(['visible', 'held', 'blocked', 'deleted'].map((s) => Type.Literal(s)))),
        }),
        response: { 200: Type.Array(MessageT), ...errorResponses },
      },
    },
    async (req) => chat.log(req.actor!, req.params.merchantId, req.params.roomId, req.query.status),
  );

  app.delete(
    '/api/merchants/:merchantId/rooms/:roomId/chat/:messageId',
    {
      config: { access: ANY_MEMBER },
      schema: {
        tags: ['interaction'],
        summary: 'Delete a message (removed from every viewer and from history)',
        security,
        params: Strict({ merchantId: IdParam, roomId: IdParam, messageId: IdParam }),
        response: { 200: Ok, ...errorResponses },
      },
    },
    async (req) => {
      await chat.remove(req.actor!, req.params.merchantId, req.params.roomId, req.params.messageId);
      return { ok: true as const };
    },
  );

  app.post(
    '/api/merchants/:merchantId/rooms/:roomId/chat/:messageId/approve',
    {
      config: { access: ANY_MEMBER },
      schema: {
        tags: ['interaction'],
        summary: 'Publish a message held for review',
        security,
        params: Strict({ merchantId: IdParam, roomId: IdParam, messageId: IdParam }),
        response: { 200: Ok, ...errorResponses },
      },
    },
    async (req) => {
      await chat.approve(req.actor!, req.params.merchantId, req.params.roomId, req.params.messageId);
      return { ok: true as const };
    },
  );

  app.post(
    '/api/merchants/:merchantId/rooms/:roomId/sanctions',
    {
      config: { access: ANY_MEMBER },
      schema: {
        tags: ['interaction'],
        summary: "Mute a viewer in this room for a time, or ban them from all the shop's rooms",
        security,
        params: RoomParams,
        body: Strict({
          userId: IdParam,
          kind: Type.Union([Type.Literal('mute'), Type.Literal('ban')]),
          minutes: Type.Optional(Type.Integer({ minimum: 1, maximum: 525_600 })),
          reason: Type.Optional(Type.String({ maxLength: 200 })),
        }),
        response: {
          201: Type.Object({ id: Type.Integer(), until: Type.Union([DateTime, Type.Null()]) }),
          ...errorResponses,
        },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await chat.sanction(req.actor!, req.params.merchantId, req.params.roomId, req.body)),
  );

  app.delete(
    '/api/merchants/:merchantId/sanctions/:sanctionId',
    {
      config: { access: ANY_MEMBER },
      schema: {
        tags: ['interaction'],
        summary: 'Lift a mute or ban',
        security,
        params: Strict({ merchantId: IdParam, sanctionId: IdParam }),
        response: { 200: Ok, ...errorResponses },
      },
    },
    async (req) => {
      await chat.lift(req.actor!, req.params.merchantId, req.params.sanctionId);
      return { ok: true as const };
    },
  );

  app.put(
    '/api/merchants/:merchantId/rooms/:roomId/slow-mode',
    {
      config: { access: ANY_MEMBER },
      schema: {
        tags: ['interaction'],
        summary: 'Slow mode: each viewer may send one message every N seconds (0 turns it off)',
        security,
        params: RoomParams,
        body: Strict({ seconds: Type.Integer({ minimum: 0, maximum: 3600 }) }),
        response: { 200: Ok, ...errorResponses },
      },
    },
    async (req) => {
      await chat.setSlowMode(req.actor!, req.params.merchantId, req.params.roomId, req.body.seconds);
      return { ok: true as const };
    },
  );

  app.get(
    '/api/merchants/:merchantId/chat-reports',
    {
      config: { access: ANY_MEMBER },
      schema: {
        tags: ['interaction'],
        summary: 'Messages viewers reported',
        security,
        params: MerchantParams,
        response: { 200: Type.Array(ReportT), ...errorResponses },
      },
    },
    async (req) => chat.reports(req.actor!, req.params.merchantId),
  );

  app.get(
    '/api/platform/chat-reports',
    {
      config: { access: 'platform_admin' },
      schema: {
        tags: ['interaction'],
        summary: 'Reported messages across all shops',
        security,
        response: { 200: Type.Array(ReportT), ...errorResponses },
      },
    },
    async (req) => chat.reports(req.actor!, null),
  );

  for (const scope of ['merchant', 'platform'] as const) {
    const base = scope === 'merchant' ? '/api/merchants/:merchantId/sensitive-words' : '/api/platform/sensitive-words';
    const access = scope === 'merchant' ? OPERATORS : ('platform_admin' as const);
    const params = scope === 'merchant' ? MerchantParams : undefined;
    const mid = (p: unknown) => (scope === 'merchant' ? (p as { merchantId: number }).merchantId : null);
    app.get(
      base,
      {
        config: { access: scope === 'merchant' ? ANY_MEMBER : access },
        schema: {
          tags: ['interaction'],
          summary: `${scope === 'merchant' ? "The shop's" : 'Platform-wide'} sensitive words`,
          security,
          ...(params ? { params } : {}),
          response: { 200: Type.Array(WordT), ...errorResponses },
        },
      },
      async (req) => chat.words(req.actor!, mid(req.params)),
    );
    app.post(
      base,
      {
        config: { access },
        schema: {
          tags: ['interaction'],
          summary: `Add or change ${scope === 'merchant' ? 'shop' : 'platform'} sensitive words (mask, block or review)`,
          security,
          ...(params ? { params } : {}),
          body: WordsBody,
          response: { 200: Type.Array(WordT), ...errorResponses },
        },
      },
      async (req) =>
        chat.addWords(
          req.actor!,
          mid(req.params),
          (req.body as { words: Array<{ word: string; action: 'mask' | 'block' | 'review' }> }).words,
        ),
    );
    app.delete(
      `${base}/:wordId`,
      {
        config: { access },
        schema: {
          tags: ['interaction'],
          summary: 'Remove a sensitive word',
          security,
          params: scope === 'merchant' ? Strict({ merchantId: IdParam, wordId: IdParam }) : Strict({ wordId: IdParam }),
          response: { 200: Ok, ...errorResponses },
        },
      },
      async (req) => {
        await chat.removeWord(req.actor!, mid(req.params), (req.params as { wordId: number }).wordId);
        return { ok: true as const };
      },
    );
  }

  app.post(
    '/api/merchants/:merchantId/rooms/:roomId/coupon-drops',
    {
      config: { access: ANY_MEMBER },
      schema: {
        tags: ['interaction'],
        summary: 'Drop coupons into the live room (viewers claim one each while they last)',
        security,
        params: RoomParams,
        body: Strict({
          templateId: IdParam,
          quantity: Type.Integer({ minimum: 1, maximum: 100_000 }),
          minutes: Type.Integer({ minimum: 1, maximum: 1440 }),
        }),
        response: { 201: DropT, ...errorResponses },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await couponDrops.create(req.actor!, req.params.merchantId, req.params.roomId, req.body)),
  );

  app.get(
    '/api/coupon-drops/:dropId',
    {
      config: { access: 'public' },
      schema: {
        tags: ['interaction'],
        summary: 'A room coupon drop and how many are left',
        params: Strict({ dropId: IdParam }),
        querystring: ViewerQuery,
        response: { 200: DropT, ...errorResponses },
      },
    },
    async (req) => couponDrops.viewAsViewer(req.params.dropId, { actor: req.actor, invite: req.query.invite }),
  );

  app.post(
    '/api/coupon-drops/:dropId/claim',
    {
      config: { access: 'user' },
      schema: {
        tags: ['interaction'],
        summary: 'Claim a coupon from a room drop (DROP_SOLD_OUT, DROP_ENDED, DROP_ALREADY_CLAIMED, or coupon limits)',
        security,
        params: Strict({ dropId: IdParam }),
        querystring: ViewerQuery,
        response: { 201: ClaimedT, ...errorResponses },
      },
    },
    async (req, reply) => {
      const claimed = await couponDrops.claimAsViewer(req.actor!, req.params.dropId, req.query.invite);
      return reply.status(201).send(claimed);
    },
  );
}

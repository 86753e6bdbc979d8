// The shopper's customer-service routes (/api/me/support/...) and the image upload both sides use.
import multipart from '@fastify/multipart';
import { Type } from 'typebox';
import type { AppContext, Http } from '../../platform/context.ts';
import { AppError, badRequest, notFound } from '../../platform/errors.ts';
import { errorResponses, IdParam, Strict } from '../../platform/http/schemas.ts';
import { storeUpload } from '../../platform/storage/uploads.ts';
import { imagePrefix } from './compose.ts';
import type { ConversationService } from './conversations.ts';
import {
  Conversation,
  ConversationParams,
  History,
  HistoryQuery,
  OpenBody,
  ReadAnswer,
  ReadBody,
  SendBody,
  Sent,
  Unread,
  Update,
} from './schemas.ts';

const security = [{ bearer: [] }];
const tags = ['support'];
const MAX_IMAGE = 10 * 1024 * 1024;

export async function shopperRoutes(app: Http, ctx: AppContext, conversations: ConversationService): Promise<void> {
  // Each module's routes are their own plugin scope: the image upload needs the multipart parser here.
  await app.register(multipart, { limits: { fileSize: MAX_IMAGE, files: 1, fields: 5 } });
  const me = (req: { actor?: { userId: number } | null | undefined }) => req.actor!.userId;
  const shopper = (req: { actor?: { userId: number } | null | undefined }) => ({
    as: 'shopper' as const,
    userId: me(req),
  });
  const base = '/api/me/support/conversations';

  app.post(
    base,
    {
      config: { access: 'user', rateLimit: { bucket: 'support.open', max: 30, windowSec: 60, by: 'user' } },
      schema: {
        tags,
        summary:
          '联系客服: open a conversation with a shop (from a product, order, after-sales request or live room); an open one is reused',
        security,
        body: OpenBody,
        response: { 200: Type.Object({ created: Type.Boolean(), conversation: Conversation }), ...errorResponses },
      },
    },
    async (req) => conversations.open(me(req), req.body),
  );
  app.get(
    base,
    {
      config: { access: 'user' },
      schema: {
        tags,
        summary: 'My customer-service conversations, newest first, with unread counts',
        security,
        response: {
          200: Type.Array(Type.Object({ ...Conversation.properties, shopName: Type.String() })),
          ...errorResponses,
        },
      },
    },
    async (req) => conversations.listForShopper(me(req)),
  );
  app.get(
    '/api/me/support/unread',
    {
      config: { access: 'user' },
      schema: {
        tags,
        summary: 'Unread customer-service messages, in total and per conversation (tab bar badge)',
        security,
        response: { 200: Unread, ...errorResponses },
      },
    },
    async (req) => conversations.unreadForShopper(me(req)),
  );
  app.get(
    `${base}/:conversationId/messages`,
    {
      config: { access: 'user' },
      schema: {
        tags,
        summary: 'A conversation’s messages, oldest first: after a seq (catch up) or before one (scroll back)',
        security,
        params: ConversationParams,
        querystring: HistoryQuery,
        response: { 200: History, ...errorResponses },
      },
    },
    async (req) =>
      conversations.messages(shopper(req), req.params.conversationId, { ...req.query, limit: req.query.limit ?? 50 }),
  );
  app.post(
    `${base}/:conversationId/messages`,
    {
      config: { access: 'user', rateLimit: { bucket: 'support.send', max: 60, windowSec: 60, by: 'user' } },
      schema: {
        tags,
        summary:
          'Send a text, an uploaded image, a product card or an order card; answered once stored (the same clientId again: duplicate). SUPPORT_MESSAGE_BLOCKED: the word lists refused it',
        security,
        params: ConversationParams,
        body: SendBody,
        response: { 200: Sent, ...errorResponses },
      },
    },
    async (req) => conversations.send(shopper(req), req.params.conversationId, req.body),
  );
  app.post(
    `${base}/:conversationId/read`,
    {
      config: { access: 'user' },
      schema: {
        tags,
        summary: 'Mark read up to a seq (the shop sees the read receipt)',
        security,
        params: ConversationParams,
        body: ReadBody,
        response: { 200: ReadAnswer, ...errorResponses },
      },
    },
    async (req) => conversations.read(shopper(req), req.params.conversationId, req.body.seq),
  );
  app.post(
    `${base}/:conversationId/human`,
    {
      config: { access: 'user' },
      schema: {
        tags,
        summary:
          '转人工: ask for a person; assigned at once when an agent has room, else queued, or leave a message when nobody is online',
        security,
        params: ConversationParams,
        response: { 200: Update, ...errorResponses },
      },
    },
    async (req) => conversations.askHuman(me(req), req.params.conversationId),
  );
  app.post(
    `${base}/:conversationId/close`,
    {
      config: { access: 'user' },
      schema: {
        tags,
        summary: 'End the conversation',
        security,
        params: ConversationParams,
        response: { 200: Update, ...errorResponses },
      },
    },
    async (req) => conversations.close(shopper(req), req.params.conversationId),
  );
  app.post(
    `${base}/:conversationId/rating`,
    {
      config: { access: 'user' },
      schema: {
        tags,
        summary: 'Rate a closed conversation once, 1–5 stars (CONVERSATION_OPEN, ALREADY_RATED)',
        security,
        params: ConversationParams,
        body: Strict({
          stars: Type.Integer({ minimum: 1, maximum: 5 }),
          comment: Type.Optional(Type.String({ maxLength: 500 })),
        }),
        response: {
          200: Type.Object({ conversationId: Type.Integer(), stars: Type.Integer(), comment: Type.String() }),
          ...errorResponses,
        },
      },
    },
    async (req) => conversations.rate(me(req), req.params.conversationId, req.body),
  );

  app.post(
    '/api/support/conversations/:conversationId/images',
    {
      config: { access: 'user', rateLimit: { bucket: 'support.images', max: 60, windowSec: 3600, by: 'user' } },
      schema: {
        tags,
        summary:
          'Upload a JPEG, PNG, WebP or GIF image for a conversation (multipart field "file"), as its shopper or one of the shop’s agents; send its key as imageKey',
        security,
        params: Strict({ conversationId: IdParam }),
        consumes: ['multipart/form-data'],
        response: { 201: Type.Object({ key: Type.String(), url: Type.String() }), ...errorResponses },
      },
    },
    async (req, reply) => {
      const actor = req.actor!;
      const row = await ctx.db
        .selectFrom('support_conversations')
        .select(['user_id', 'merchant_id'])
        .where('id', '=', req.params.conversationId)
        .executeTakeFirst();
      if (!row) throw notFound('Conversation', 'CONVERSATION_NOT_FOUND');
      const side =
        row.user_id === actor.userId
          ? { as: 'shopper' as const, userId: actor.userId }
          : { as: 'agent' as const, actor, merchantId: row.merchant_id };
      const conv = await conversations.visible(side, req.params.conversationId);
      if (!req.isMultipart()) throw new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the file as multipart/form-data');
      const file = await req.file();
      if (!file) throw badRequest('FILE_MISSING', 'No file in the request');
      const stored = await storeUpload(ctx.storage, {
        prefix: imagePrefix(conv.id),
        body: file.file,
        limits: { image: MAX_IMAGE, video: 1 }, // no videos in a chat
      });
      if (stored.kind !== 'image') {
        await ctx.storage.remove(stored.key);
        throw new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Only images can be sent in a conversation');
      }
      return reply.status(201).send({ key: stored.key, url: stored.url });
    },
  );
}

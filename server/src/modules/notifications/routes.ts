// /api/me/messages (the shopper's message centre), its preferences, and a shop's marketing messages.
import { Type } from 'typebox';
import type { AppContext, Http } from '../../platform/context.ts';
import { errorResponses, IdParam, Strict } from '../../platform/http/schemas.ts';
import type { NoticeKind } from './tables.ts';
import {
  Campaign,
  CampaignBody,
  Kind,
  ListQuery,
  MessagePage,
  Preference,
  PreferenceBody,
  ReadBody,
  Unread,
} from './schemas.ts';

const security = [{ bearer: [] }];
const tags = ['notifications'];

export function notificationRoutes(app: Http, ctx: AppContext): void {
  const centre = () => ctx.services.notifications;
  app.get(
    '/api/me/messages',
    {
      config: { access: 'user' },
      schema: {
        tags,
        security,
        summary: 'My message centre, newest first (filter by kind, unread only; page with `before`)',
        querystring: ListQuery,
        response: { 200: MessagePage, ...errorResponses },
      },
    },
    async (req) => centre().centre.list(req.actor!.userId, req.query),
  );
  app.get(
    '/api/me/messages/unread',
    {
      config: { access: 'user' },
      schema: {
        tags,
        security,
        summary: 'My unread counts, in all and by kind (the tab bar badge)',
        response: { 200: Unread, ...errorResponses },
      },
    },
    async (req) => centre().centre.unreadCounts(req.actor!.userId),
  );
  app.post(
    '/api/me/messages/read',
    {
      config: { access: 'user' },
      schema: {
        tags,
        security,
        summary: 'Mark my messages read: by ids, by what they open (ref), by kind, or all (400 MESSAGES_READ_EMPTY)',
        body: ReadBody,
        response: { 200: Type.Object({ updated: Type.Integer(), unread: Unread }), ...errorResponses },
      },
    },
    async (req) => centre().centre.markRead(req.actor!.userId, req.body),
  );
  app.get(
    '/api/me/message-preferences',
    {
      config: { access: 'user' },
      schema: {
        tags,
        security,
        summary: 'Which kinds of message I get, and over which offline channels (marketing is off until I agree)',
        response: { 200: Type.Array(Preference), ...errorResponses },
      },
    },
    async (req) => centre().centre.preferences(req.actor!.userId),
  );
  app.patch(
    '/api/me/message-preferences/:kind',
    {
      config: { access: 'user' },
      schema: {
        tags,
        security,
        summary: 'Switch a kind of message, or one of its offline channels, on or off (400 PREFERENCE_EMPTY)',
        params: Strict({ kind: Kind }),
        body: PreferenceBody,
        response: { 200: Type.Array(Preference), ...errorResponses },
      },
    },
    async (req) => centre().centre.setPreference(req.actor!.userId, req.params.kind as NoticeKind, req.body),
  );
  app.post(
    '/api/merchants/:merchantId/message-campaigns',
    {
      config: {
        access: { merchant: ['merchant_owner', 'merchant_staff'] },
        rateLimit: { bucket: 'notifications.campaign', max: 10, windowSec: 3600, by: 'user' },
      },
      schema: {
        tags,
        security,
        summary: "Send a marketing message to the shop's followers who agreed to marketing messages",
        params: Strict({ merchantId: IdParam }),
        body: CampaignBody,
        response: { 201: Campaign, ...errorResponses },
      },
    },
    async (req, reply) => {
      reply.code(201);
      return centre().fanout.createCampaign(req.actor!, req.params.merchantId, req.body);
    },
  );
  app.get(
    '/api/merchants/:merchantId/message-campaigns',
    {
      config: { access: { merchant: ['merchant_owner', 'merchant_staff'] } },
      schema: {
        tags,
        security,
        summary: "The shop's marketing messages, newest first, with how many shoppers each reached",
        params: Strict({ merchantId: IdParam }),
        response: { 200: Type.Array(Campaign), ...errorResponses },
      },
    },
    async (req) => centre().fanout.campaigns(req.actor!, req.params.merchantId),
  );
}

// WeChat platform calls the mini-program needs (README "WeChat", docs/miniprogram-api.md): the
// shared access token, phone-number binding (getPhoneNumber), subscribe messages (开播提醒, 发货通知)
// and content security (msgSecCheck) for chat and nicknames. Each goes through WechatPlatform: the
// real API, or the sandbox (WECHAT_SANDBOX) that answers locally so all of it runs without an account.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Type } from 'typebox';
import type { AppContext, Module } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import { errorResponses, IdParam, Strict } from '../../platform/http/schemas.ts';
import { User } from '../identity/auth-routes.ts';
import { RealWechatApi, SandboxWechatApi, type WechatPlatform } from './api.ts';
import { ContentSecurity } from './content-security.ts';
import { SEND_JOB, SUBSCRIBE_RESULTS, SubscriptionService } from './subscriptions.ts';
import './tables.ts';

export interface WechatServices {
  /** The real API, the sandbox, or null when neither is set up (WECHAT_NOT_CONFIGURED). */
  api: WechatPlatform | null;
  /** The sandbox when it is on (tests and the demo read what it "sent"). */
  sandbox: SandboxWechatApi | null;
  subscriptions: SubscriptionService;
}

declare module '../../platform/context.ts' {
  interface Services {
    wechat: WechatServices;
    contentSecurity: ContentSecurity;
  }
}

const security = [{ bearer: [] }];
const tags = ['wechat'];
const Kind = Type.Union([Type.Literal('liveStart'), Type.Literal('orderShipped')]);
// The identity routes' User shape, without its $id (that schema is registered in identity's scope).
const UserShape = Type.Object(User.properties);
const Grant = Type.Object({ kind: Kind, templateId: Type.String(), remaining: Type.Integer() });

function platformOf(ctx: AppContext): WechatPlatform | null {
  const c = ctx.config;
  if (c.wechatAppId && c.wechatAppSecret) {
    return new RealWechatApi(ctx.cache, {
      appId: c.wechatAppId,
      appSecret: c.wechatAppSecret,
      apiBase: c.wechatApiBase,
      tokenMode: c.wechat.tokenMode,
    });
  }
  return c.wechat.sandbox ? new SandboxWechatApi() : null;
}

export const wechatModule: Module = {
  name: 'wechat',
  migrationsDir: path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations'),
  init(ctx) {
    const api = platformOf(ctx);
    const need = (): WechatPlatform => {
      if (!api)
        throw new AppError(
          422,
          'WECHAT_NOT_CONFIGURED',
          'WeChat is not configured (WECHAT_APP_ID / WECHAT_APP_SECRET)',
        );
      return api;
    };
    if (api?.sandbox && ctx.config.env === 'production') {
      ctx.log.warn('wechat: WECHAT_SANDBOX is on in production: sandbox:<name> codes sign in without WeChat');
    }
    const subscriptions = new SubscriptionService(ctx, need);
    ctx.services.wechat = { api, sandbox: api instanceof SandboxWechatApi ? api : null, subscriptions };
    const security = new ContentSecurity(ctx, need);
    ctx.services.contentSecurity = security;
    if (!api) security.disable();

    ctx.jobs.register<{ messageId: number }>({
      type: SEND_JOB,
      transactional: false,
      run: (job) => subscriptions.send(job.payload.messageId),
    });
    ctx.events.subscribe({
      name: 'wechat.subscribe.live-start',
      events: ['room.reminder_due'],
      handle: async (e, db) => {
        const p = e.payload;
        await subscriptions.queue(db, 'liveStart', `room:${p.roomId}:event:${e.id}`, p.userIds, {
          roomId: p.roomId,
          merchantId: p.merchantId,
          title: p.title,
          time: new Date(e.createdAt).toISOString(),
        });
      },
    });
    ctx.events.subscribe({
      name: 'wechat.subscribe.order-shipped',
      events: ['order.shipped'],
      handle: async (e, db) => {
        const p = e.payload;
        await subscriptions.queue(db, 'orderShipped', `order:${p.orderId}:event:${e.id}`, [p.userId], {
          orderId: p.orderId,
          merchantId: p.merchantId,
          time: new Date(e.createdAt).toISOString(),
        });
      },
    });
  },
  start(ctx) {
    // Chat moderation: msgSecCheck after the word lists (a hook the chat service already has).
    const chat = ctx.services.chat;
    const before = chat.externalModeration;
    const security = ctx.services.contentSecurity;
    if (security.enabled) {
      chat.externalModeration = async (input) => {
        const first = before ? await before(input) : 'allow';
        if (first === 'block') return first;
        const mine = await security.chatVerdict(input.userId, input.text);
        return mine === 'allow' ? first : mine === 'block' ? 'block' : 'review';
      };
    }
    return Promise.resolve();
  },
  routes(app, ctx) {
    const wx = ctx.services.wechat;
    app.get(
      '/api/wechat/config',
      {
        config: { access: 'public' },
        schema: {
          tags,
          summary: 'What WeChat features this deployment offers: sandbox, subscribe-message template ids, msgSecCheck',
          response: {
            200: Type.Object({
              sandbox: Type.Boolean(),
              templates: Type.Object({
                liveStart: Type.Union([Type.String(), Type.Null()]),
                orderShipped: Type.Union([Type.String(), Type.Null()]),
              }),
              msgSecCheck: Type.Union([Type.Literal('off'), Type.Literal('wechat')]),
            }),
          },
        },
      },
      async () => ({
        sandbox: wx.sandbox !== null,
        templates: ctx.config.wechat.templates,
        msgSecCheck: ctx.services.contentSecurity.enabled ? ('wechat' as const) : ('off' as const),
      }),
    );

    app.post(
      '/api/wechat/phone',
      {
        config: { access: 'user', rateLimit: { bucket: 'wechat.phone', max: 10, windowSec: 60, by: 'user' } },
        schema: {
          tags,
          security,
          summary:
            'Bind the phone number of a getPhoneNumber button code (409 WECHAT_PHONE_TAKEN: another account has it)',
          body: Strict({
            code: Type.String({ minLength: 1, maxLength: 512, description: 'e.detail.code of bindgetphonenumber' }),
          }),
          response: { 200: Type.Object({ user: UserShape }), ...errorResponses },
        },
      },
      async (req) => {
        if (!wx.api)
          throw new AppError(
            422,
            'WECHAT_NOT_CONFIGURED',
            'WeChat is not configured (WECHAT_APP_ID / WECHAT_APP_SECRET)',
          );
        // Network call before any transaction: the code is exchanged, then the phone is bound.
        const phone = await wx.api.phoneNumber(req.body.code);
        return { user: await ctx.services.auth.bindVerifiedPhone(req.actor!.userId, phone) };
      },
    );

    app.post(
      '/api/wechat/subscriptions',
      {
        config: { access: 'user' },
        schema: {
          tags,
          security,
          summary:
            'Record what wx.requestSubscribeMessage answered (one message per accept); roomId also sets 开播提醒',
          body: Strict({
            results: Type.Record(
              Type.String({ minLength: 1, maxLength: 64 }),
              Type.String({ maxLength: 16, description: SUBSCRIBE_RESULTS.join(', ') }),
              {
                maxProperties: 10,
                description: 'template id → accept, reject, ban or filter',
              },
            ),
            roomId: Type.Optional(IdParam),
          }),
          response: { 200: Type.Object({ grants: Type.Array(Grant), reminded: Type.Boolean() }), ...errorResponses },
        },
      },
      async (req) => wx.subscriptions.record(req.actor!.userId, req.body.results, req.body.roomId),
    );

    app.get(
      '/api/wechat/subscriptions',
      {
        config: { access: 'user' },
        schema: {
          tags,
          security,
          summary: 'How many subscribe messages of each template the server may still send me',
          response: { 200: Type.Object({ grants: Type.Array(Grant) }), ...errorResponses },
        },
      },
      async (req) => ({ grants: await wx.subscriptions.grants(req.actor!.userId) }),
    );
  },
};

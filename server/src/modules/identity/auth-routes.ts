// Sign-up, sign-in, refresh, sign-out, the caller's own account and its password.
// Refresh tokens: browsers get them as an HttpOnly cookie (platform/auth/refresh-cookie.ts) and never
// see them; clients without a cookie jar (the WeChat mini-program, native apps, scripts) ask for
// them in the body with `refreshTokenIn: "body"` and send them back in the body to refresh.
import { Type } from 'typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext, Http } from '../../platform/context.ts';
import { unauthorized } from '../../platform/errors.ts';
import { DateTime, errorResponses, Ok, Strict } from '../../platform/http/schemas.ts';
import type { RouteRateLimit } from '../../platform/http/rate-limit.ts';
import { clearRefreshCookie, readRefreshCookie, setRefreshCookie } from '../../platform/auth/refresh-cookie.ts';
import type { AuthService, TokenPair } from './auth-service.ts';
import type { PasswordService } from './password-service.ts';

export const Phone = Type.String({
  minLength: 6,
  maxLength: 20,
  description: 'Mainland mobile number, e.g. 13800000000',
});
const Password = Type.String({ minLength: 1, maxLength: 128 });
const RefreshToken = Type.String({ minLength: 10, maxLength: 200 });
const Captcha = Type.Optional(
  Type.String({
    maxLength: 200,
    description: 'After CAPTCHA_REQUIRED: "<challengeId>:<answer>" (or the provider\'s ticket)',
  }),
);
const RefreshTokenIn = Type.Optional(
  Type.Union([Type.Literal('cookie'), Type.Literal('body')], {
    description:
      'Where the refresh token goes: an HttpOnly cookie (the default; browsers) ' +
      'or this body (mini-programs, apps)',
  }),
);

export const User = Type.Object(
  {
    id: Type.Integer(),
    phone: Type.Union([Type.String(), Type.Null()]),
    nickname: Type.String(),
    avatarUrl: Type.Union([Type.String(), Type.Null()]),
    isPlatformAdmin: Type.Boolean(),
    hasWechat: Type.Boolean(),
    createdAt: DateTime,
  },
  { $id: 'User' },
);
const Tokens = Type.Object(
  {
    accessToken: Type.String(),
    refreshToken: Type.Optional(
      Type.String({
        description: 'Only when refreshTokenIn is "body"; otherwise it is in the lm_refresh cookie',
      }),
    ),
    refreshTokenIn: Type.Union([Type.Literal('cookie'), Type.Literal('body')]),
    expiresIn: Type.Integer({ description: 'seconds' }),
    tokenType: Type.Literal('Bearer'),
  },
  { $id: 'Tokens' },
);
const AuthResult = Type.Object({ user: Type.Ref('User'), tokens: Type.Ref('Tokens') });
const PasswordChanged = Type.Object({ ok: Type.Literal(true), signedOutSessions: Type.Integer() });

// A browser refreshes and signs out with the cookie alone: no body at all is the same as {}.
const OptionalTokenBody = Strict({ refreshToken: Type.Optional(RefreshToken) });
const noBodyIsEmpty = async (req: FastifyRequest) => {
  req.body ??= {};
};

const perClient = (bucket: string, max: number, windowSec: number): RouteRateLimit => ({
  bucket,
  max,
  windowSec,
  by: 'ip',
});

export function authRoutes(app: Http, ctx: AppContext, auth: AuthService, passwords: PasswordService): void {
  for (const s of [User, Tokens]) app.addSchema(s);
  // Who-you-are answers (tokens, the caller's profile, their errors too) are never stored by a cache.
  app.addHook('onSend', async (_req, reply) => {
    reply.header('cache-control', 'no-store');
  });
  const meta = (req: FastifyRequest) => ({ userAgent: req.headers['user-agent'], ip: req.ip });
  const tags = ['auth'];
  const cookieAge = ctx.config.refreshTokenTtlSec;

  /** Hand the pair over: refresh token in the cookie (browsers) or in the body (when asked). */
  const deliver = (req: FastifyRequest, reply: FastifyReply, pair: TokenPair, into: 'cookie' | 'body' = 'cookie') => {
    if (into === 'body') return { ...pair, refreshTokenIn: 'body' as const };
    setRefreshCookie(req, reply, pair.refreshToken, cookieAge, ctx.config.publicUrl);
    const { refreshToken: _inCookie, ...rest } = pair;
    return { ...rest, refreshTokenIn: 'cookie' as const };
  };

  app.post(
    '/api/auth/register',
    {
      config: { access: 'public', rateLimit: perClient('auth.register', 10, 3600) },
      schema: {
        tags,
        summary: 'Register with phone and password (PASSWORD_WEAK, PASSWORD_COMMON)',
        body: Strict({
          phone: Phone,
          password: Password,
          nickname: Type.Optional(Type.String({ minLength: 1, maxLength: 32 })),
          refreshTokenIn: RefreshTokenIn,
        }),
        response: { 201: AuthResult, ...errorResponses },
      },
    },
    async (req, reply) => {
      const r = await auth.register(req.body, meta(req));
      return reply.status(201).send({ user: r.user, tokens: deliver(req, reply, r.tokens, req.body.refreshTokenIn) });
    },
  );

  app.post(
    '/api/auth/login',
    {
      config: { access: 'public', rateLimit: perClient('auth.login', 30, 60) },
      schema: {
        tags,
        summary:
          'Sign in with phone and password. After several failures: 403 CAPTCHA_REQUIRED, ' +
          'with the challenge in details.captcha',
        body: Strict({ phone: Phone, password: Password, captcha: Captcha, refreshTokenIn: RefreshTokenIn }),
        response: { 200: AuthResult, ...errorResponses },
      },
    },
    async (req, reply) => {
      const r = await auth.login(req.body, meta(req));
      return { user: r.user, tokens: deliver(req, reply, r.tokens, req.body.refreshTokenIn) };
    },
  );

  app.post(
    '/api/auth/wechat',
    {
      config: { access: 'public', rateLimit: perClient('auth.wechat', 30, 60) },
      schema: {
        tags,
        summary: 'Sign in from a WeChat mini-program with the wx.login() code (the refresh token comes in the body)',
        body: Strict({ code: Type.String({ minLength: 1, maxLength: 128 }) }),
        response: {
          200: Type.Object({ user: Type.Ref('User'), tokens: Type.Ref('Tokens'), created: Type.Boolean() }),
          ...errorResponses,
        },
      },
    },
    async (req, reply) => {
      const r = await auth.wechatLogin(req.body.code, meta(req));
      return { user: r.user, created: r.created, tokens: deliver(req, reply, r.tokens, 'body') };
    },
  );

  app.post(
    '/api/auth/refresh',
    {
      config: { access: 'public', rateLimit: perClient('auth.refresh', 60, 60) },
      preValidation: noBodyIsEmpty,
      schema: {
        tags,
        summary:
          'New access token; the refresh token is spent and replaced where it came from ' +
          '(the lm_refresh cookie, or the body)',
        body: OptionalTokenBody,
        response: { 200: Type.Ref('Tokens'), ...errorResponses },
      },
    },
    async (req, reply) => {
      const inBody = req.body.refreshToken;
      const token = inBody ?? readRefreshCookie(req);
      if (!token) throw unauthorized('REFRESH_TOKEN_MISSING', 'No refresh token: sign in again');
      try {
        return deliver(req, reply, await auth.refresh(token), inBody ? 'body' : 'cookie');
      } catch (err) {
        if (!inBody) clearRefreshCookie(req, reply, ctx.config.publicUrl);
        throw err;
      }
    },
  );

  app.post(
    '/api/auth/logout',
    {
      config: { access: 'public' },
      preValidation: noBodyIsEmpty,
      schema: {
        tags,
        summary: 'Sign out: revokes the session of the refresh token (body or cookie), or of the access token sent',
        body: OptionalTokenBody,
        response: { 200: Ok, ...errorResponses },
      },
    },
    async (req, reply) => {
      const refreshToken = req.body.refreshToken ?? readRefreshCookie(req);
      clearRefreshCookie(req, reply, ctx.config.publicUrl);
      await auth.logout({ refreshToken, actor: req.actor });
      return { ok: true as const };
    },
  );

  app.post(
    '/api/auth/password-reset/code',
    {
      config: { access: 'public', rateLimit: perClient('auth.sms-code', 10, 3600) },
      schema: {
        tags,
        summary: 'Text a password-reset code to the phone (the same answer whether or not it is registered)',
        body: Strict({ phone: Phone }),
        response: {
          202: Type.Object({ ok: Type.Literal(true), resendAfterSec: Type.Integer(), expiresInSec: Type.Integer() }),
          ...errorResponses,
        },
      },
    },
    async (req, reply) => reply.status(202).send(await passwords.requestCode(req.body.phone)),
  );

  app.post(
    '/api/auth/password-reset',
    {
      config: { access: 'public', rateLimit: perClient('auth.password-reset', 20, 3600) },
      schema: {
        tags,
        summary:
          'Set a new password with the texted code (RESET_CODE_INVALID, RESET_CODE_EXPIRED); ' +
          'signs out every session',
        body: Strict({ phone: Phone, code: Type.String({ minLength: 4, maxLength: 8 }), newPassword: Password }),
        response: { 200: PasswordChanged, ...errorResponses },
      },
    },
    async (req) => passwords.reset(req.body),
  );

  app.post(
    '/api/me/password',
    {
      config: { access: 'user', rateLimit: { bucket: 'auth.password-change', max: 10, windowSec: 3600, by: 'user' } },
      schema: {
        tags: ['me'],
        summary: 'Change the password (PASSWORD_WRONG, PASSWORD_WEAK, PASSWORD_COMMON); signs out the other sessions',
        security: [{ bearer: [] }],
        body: Strict({ currentPassword: Password, newPassword: Password, captcha: Captcha }),
        response: { 200: PasswordChanged, ...errorResponses },
      },
    },
    async (req) => passwords.change(req.actor!, req.body, meta(req)),
  );
}

import crypto from 'node:crypto';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import type { AppContext, Http } from '../../platform/context.ts';
import { AppError, badRequest, notFound } from '../../platform/errors.ts';
import { DateTime, errorResponses, Strict } from '../../platform/http/schemas.ts';
import { formPageCsp } from '../../platform/http/security-headers.ts';
import { cashierPage, cashierResultPage } from './cashier-page.ts';
import type { SandboxProvider } from './providers/sandbox.ts';
import { safeReturnPath, sameSiteReturnUrl } from './return-url.ts';

const security = [{ bearer: [] }];
const PaymentNoParam = Strict({ paymentNo: Type.String({ pattern: '^[PR][0-9]{10,30}$' }) });
const ProviderT = Type.Union([Type.Literal('sandbox'), Type.Literal('wechat'), Type.Literal('alipay')]);

export async function paymentRoutes(app: Http, ctx: AppContext): Promise<void> {
  const payments = ctx.services.payments;
  const sandbox = () => payments.providers.get('sandbox') as SandboxProvider;

  app.get(
    '/api/payments/methods',
    {
      config: { access: 'public' },
      schema: {
        tags: ['payments'],
        summary: 'How shoppers can pay here; testMoney marks the sandbox (label it as test money)',
        response: {
          200: Type.Object({
            sandbox: Type.Boolean(),
            methods: Type.Array(Type.Object({ provider: ProviderT, testMoney: Type.Boolean() })),
          }),
        },
      },
    },
    async () => {
      const on = [...payments.providers.values()].filter((p) => p.configured);
      const methods = on.map((p) => ({ provider: p.name, testMoney: p.name === 'sandbox' }));
      return { sandbox: sandbox().configured, methods };
    },
  );

  app.get(
    '/api/payments/:paymentNo',
    {
      config: { access: 'user' },
      schema: {
        tags: ['payments'],
        summary: 'A payment of mine and its status',
        security,
        params: PaymentNoParam,
        response: {
          200: Type.Object({
            paymentNo: Type.String(),
            status: Type.String(),
            amountFen: Type.Integer(),
            refundedFen: Type.Integer(),
            provider: Type.Union([Type.String(), Type.Null()]),
            bizType: Type.String(),
            bizId: Type.String(),
            expiresAt: DateTime,
            paidAt: Type.Union([DateTime, Type.Null()]),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const p = await payments.get(req.params.paymentNo);
      if (p.user_id !== req.actor!.userId) throw notFound('Payment', 'PAYMENT_NOT_FOUND');
      return {
        paymentNo: p.payment_no,
        status: p.status,
        amountFen: p.amount_fen,
        refundedFen: p.refunded_fen,
        provider: p.provider,
        bizType: p.biz_type,
        bizId: p.biz_id,
        expiresAt: p.expires_at,
        paidAt: p.paid_at,
      };
    },
  );

  app.post(
    '/api/payments/:paymentNo/start',
    {
      config: { access: 'user' },
      schema: {
        tags: ['payments'],
        summary:
          'Pay with a provider: returns the cashier URL (sandbox, Alipay) or wx.requestPayment parameters (WeChat)',
        security,
        params: PaymentNoParam,
        body: Strict({
          provider: ProviderT,
          openid: Type.Optional(
            Type.String({
              maxLength: 128,
              description: 'Refused (400 OPENID_NOT_ACCEPTED): the payer is the signed-in WeChat user',
            }),
          ),
          returnUrl: Type.Optional(Type.String({ maxLength: 500 })),
        }),
        response: {
          200: Type.Object({
            paymentNo: Type.String(),
            provider: Type.String(),
            amountFen: Type.Integer(),
            cashierUrl: Type.Optional(Type.String()),
            jsapiParams: Type.Optional(
              Type.Record(Type.String(), Type.String(), { description: 'For wx.requestPayment' }),
            ),
            sandboxPay: Type.Optional(
              Type.Object(
                {
                  testMoney: Type.Literal(true),
                  confirmPath: Type.String(),
                  token: Type.String(),
                },
                {
                  description:
                    "Test money: the mini-program's sandbox pay sheet posts {t: token, outcome} to confirmPath",
                },
              ),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      // Providers send the shopper back here after paying: our own site only (no open redirect).
      const given = req.body.returnUrl;
      const returnUrl = given === undefined ? undefined : sameSiteReturnUrl(given, ctx.config.publicUrl);
      if (returnUrl === null) throw badRequest('RETURN_URL_INVALID', 'returnUrl must be a path or URL on this site');
      // WeChat Pay's payer is the shopper's own WeChat sign-in (code2session), never an id from the client.
      if (req.body.openid !== undefined)
        throw badRequest('OPENID_NOT_ACCEPTED', 'The payer is the signed-in WeChat user; send no openid');
      const opts = { returnUrl };
      return payments.start(req.actor!.userId, req.params.paymentNo, req.body.provider, opts);
    },
  );

  // Provider notifications need the exact bytes for signature checks: parse bodies as raw text here.
  await app.register(async (plain) => {
    const scope = plain as unknown as Http;
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'string', bodyLimit: 64 * 1024 }, (_req, body, done) =>
      done(null, body),
    );
    scope.post(
      '/api/payments/notify/:provider',
      {
        config: { access: 'public' },
        schema: {
          tags: ['payments'],
          summary: 'Payment provider notifications (signature-verified, idempotent)',
          params: Strict({ provider: ProviderT }),
        },
      },
      async (req, reply) => {
        const ack = await payments.handleNotification(req.params.provider, {
          headers: req.headers,
          rawBody: typeof req.body === 'string' ? req.body : '',
        });
        return reply.status(ack.status).header('content-type', ack.contentType).send(ack.body);
      },
    );
  });

  // ---- sandbox cashier ----
  const verifyCashierToken = async (paymentNo: string, token: string | undefined) => {
    if (!sandbox().configured) throw new AppError(404, 'SANDBOX_DISABLED', 'The test-money cashier is off here');
    const ok = token ? await ctx.tokens.verifyPayload<{ p: string }>(token, 'sandbox-cashier') : null;
    if (!ok || ok === 'expired' || ok.p !== paymentNo)
      throw badRequest('CASHIER_LINK_INVALID', 'This cashier link is not valid');
  };

  app.get(
    '/pay/sandbox/:paymentNo',
    {
      config: { access: 'public' },
      schema: {
        tags: ['payments'],
        summary: 'Sandbox cashier page (HTML, clearly labelled SANDBOX)',
        params: PaymentNoParam,
        querystring: Type.Object({
          t: Type.String({ maxLength: 1000 }),
          returnUrl: Type.Optional(Type.String({ maxLength: 500 })),
        }),
      },
    },
    async (req, reply) => {
      await verifyCashierToken(req.params.paymentNo, req.query.t);
      const p = await payments.get(req.params.paymentNo);
      const nonce = cashierHeaders(reply);
      return reply.send(
        cashierPage({
          paymentNo: p.payment_no,
          subject: p.subject,
          amountFen: p.amount_fen,
          status: p.status,
          token: req.query.t,
          returnUrl: safeReturnPath(req.query.returnUrl),
          nonce,
        }),
      );
    },
  );

  await app.register(async (plain) => {
    const scope = plain as unknown as Http;
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    });
    scope.post(
      '/pay/sandbox/:paymentNo/confirm',
      {
        config: { access: 'public' },
        schema: {
          tags: ['payments'],
          summary: 'Sandbox cashier: confirm or fail the payment',
          params: PaymentNoParam,
          body: Type.Object({
            t: Type.String({ maxLength: 1000 }),
            outcome: Type.Union([Type.Literal('succeeded'), Type.Literal('failed')]),
            returnUrl: Type.Optional(Type.String({ maxLength: 500 })),
          }),
        },
      },
      async (req, reply) => {
        await verifyCashierToken(req.params.paymentNo, req.body.t);
        const p = await payments.get(req.params.paymentNo);
        const body = JSON.stringify({
          eventId: crypto.randomUUID(),
          paymentNo: p.payment_no,
          amountFen: p.amount_fen,
          status: req.body.outcome,
        });
        await payments.start(p.user_id, p.payment_no, 'sandbox').catch(() => undefined); // record the provider choice
        const signed = { headers: { 'x-sandbox-signature': sandbox().sign(body) }, rawBody: body };
        const ack = await payments.handleNotification('sandbox', signed);
        const accept = req.headers.accept ?? '';
        if (accept.includes('application/json')) return reply.send({ outcome: ack.outcome });
        const nonce = cashierHeaders(reply);
        const back = safeReturnPath(req.body.returnUrl);
        return reply.send(cashierResultPage({ succeeded: req.body.outcome === 'succeeded', returnUrl: back, nonce }));
      },
    );
  });
}

/**
 * The cashier is framed by our own shop only, sends no referrer (its URL carries the cashier token),
 * is never cached, and runs no script: its one style block carries this response's nonce.
 */
function cashierHeaders(reply: FastifyReply): string {
  const nonce = crypto.randomBytes(16).toString('base64');
  reply.headers({
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': formPageCsp(nonce, "'self'"),
    'x-frame-options': 'SAMEORIGIN',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-store',
  });
  return nonce;
}

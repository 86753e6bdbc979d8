import { Type } from 'typebox';
import type { AppContext, Http } from '../../platform/context.ts';
import { errorResponses, Strict } from '../../platform/http/schemas.ts';
import { CheckoutRequestFields } from './request.ts';
import { QuoteT } from './schemas.ts';

const security = [{ bearer: [] }];

export function checkoutRoutes(app: Http, ctx: AppContext): void {
  const { checkout } = ctx.services;
  app.addSchema(QuoteT);

  app.post(
    '/api/checkout/quote',
    {
      config: { access: 'user' },
      schema: {
        tags: ['checkout'],
        summary:
          'Price a basket: every step per line with its reason, per-shop totals, and a quote token for placing it',
        security,
        body: Strict({
          ...CheckoutRequestFields,
          province: Type.Optional(
            Type.String({
              maxLength: 20,
              description: 'Without addressId: a fee preview (such a quote cannot be placed)',
            }),
          ),
        }),
        response: { 200: Type.Ref('Quote'), ...errorResponses },
      },
    },
    async (req) => checkout.quote(req.actor!.userId, req.body),
  );
}

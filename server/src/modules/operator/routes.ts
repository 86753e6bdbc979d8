import { Type } from 'typebox';
import type { AppContext, Http } from '../../platform/context.ts';
import { errorResponses } from '../../platform/http/schemas.ts';
import { platformDashboard } from './dashboard.ts';

const security = [{ bearer: [] }];
const ShopSales = Type.Object({
  merchantId: Type.Integer(),
  name: Type.String(),
  todayOrders: Type.Integer(),
  todayGmvFen: Type.Integer(),
  weekOrders: Type.Integer(),
  weekGmvFen: Type.Integer(),
});

export function operatorRoutes(app: Http, ctx: AppContext): void {
  // Under the orders tag as before: the SDK and the console know it there.
  app.get(
    '/api/platform/dashboard',
    {
      config: { access: 'platform_admin' },
      schema: {
        tags: ['orders'],
        summary: 'Across all shops: paid orders and GMV today and over 7 days, per shop',
        security,
        response: { 200: Type.Array(ShopSales), ...errorResponses },
      },
    },
    async () => platformDashboard(ctx),
  );
}

// The promoter centre (推广中心) in the shop: the shopper's own promoter record in one shop, their
// link, customers, commissioned orders, earnings by state, ledger and withdrawals. Every read is
// the caller's own: another shopper's record is simply not found.
import type { AppContext } from '../../platform/context.ts';
import type { CommissionStatus } from './tables.ts';
import { promoterView } from './promoter-service.ts';

export class PromoterCentre {
  constructor(private readonly ctx: AppContext) {}

  private mine(userId: number, merchantId: number) {
    return this.ctx.services.promoters.requireMine(this.ctx.db, merchantId, userId);
  }

  async overview(userId: number, merchantId: number) {
    const p = await this.mine(userId, merchantId);
    const [earnings, customers] = await Promise.all([
      this.ctx.services.commissionReads.earnings(this.ctx.db, p.id),
      this.ctx.services.distributionBindings.customersOf(p.id, 1, 1),
    ]);
    return {
      promoter: promoterView(p),
      earnings,
      link: {
        targetKind: 'promoter' as const,
        targetId: p.user_id,
        // A recruit cannot recruit (two levels at most), so only a top-level promoter has a recruit link.
        recruitPath: p.parent_id === null ? `/distribution/${merchantId}/join?recruiter=${p.user_id}` : null,
      },
      customers: customers.total,
    };
  }

  async customers(userId: number, merchantId: number, page: number, pageSize: number) {
    const p = await this.mine(userId, merchantId);
    return this.ctx.services.distributionBindings.customersOf(p.id, page, pageSize);
  }

  async commissions(
    userId: number,
    merchantId: number,
    f: { status?: CommissionStatus; page: number; pageSize: number },
  ) {
    const p = await this.mine(userId, merchantId);
    return this.ctx.services.commissionReads.list({ merchantId }, { ...f, promoterId: p.id });
  }

  async ledger(userId: number, merchantId: number, page: number, pageSize: number) {
    const p = await this.mine(userId, merchantId);
    return this.ctx.services.commissionReads.ledger(p.id, page, pageSize);
  }

  async withdrawals(userId: number, merchantId: number, page: number, pageSize: number) {
    const p = await this.mine(userId, merchantId);
    return this.ctx.services.withdrawals.listForPromoter(p.id, page, pageSize);
  }
}

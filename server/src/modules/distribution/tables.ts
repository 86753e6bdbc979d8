import type { Generated } from 'kysely';
import type { CreatedAt, Id, Json, NullableTimestamp, Timestamp, UpdatedAt } from '../../platform/db/types.ts';

export type PromoterStatus = 'invited' | 'pending' | 'approved' | 'rejected' | 'suspended';
export type CommissionStatus = 'pending' | 'settled' | 'reversed';
export type WithdrawalStatus = 'requested' | 'paying' | 'paid' | 'rejected' | 'failed';
export type LedgerReason = 'commission_settled' | 'commission_reversed' | 'withdrawal' | 'withdrawal_returned';
export type BindingMode = 'first' | 'last';

/** One order line as a commission sees it: what was paid, refunded so far, and the rate that applies. */
export interface CommissionLine {
  lineId: number;
  skuId: number;
  productId: number;
  payableFen: number;
  refundedFen: number;
  bp: number;
  /** This line's part of amount_fen (largest remainder over bp × kept). */
  shareFen: number;
}

declare module '../../platform/db/types.ts' {
  interface Database {
    distribution_settings: {
      merchant_id: number;
      enabled: Generated<boolean>;
      levels: Generated<number>;
      level1_bp: Generated<number>;
      level2_bp: Generated<number>;
      binding_days: Generated<number>;
      binding_mode: Generated<BindingMode>;
      self_purchase: Generated<boolean>;
      auto_approve: Generated<boolean>;
      min_withdraw_fen: Generated<number>;
      updated_at: UpdatedAt;
    };
    distribution_levels: {
      id: Id;
      merchant_id: number;
      name: string;
      level1_bp: number;
      level2_bp: number;
      position: Generated<number>;
      created_at: CreatedAt;
    };
    distribution_product_rules: {
      merchant_id: number;
      product_id: number;
      level1_bp: number;
      level2_bp: number;
      updated_at: UpdatedAt;
    };
    distribution_promoters: {
      id: Id;
      merchant_id: number;
      user_id: number;
      status: PromoterStatus;
      source: 'applied' | 'invited';
      level_id: number | null;
      parent_id: number | null;
      note: Generated<string>;
      created_at: CreatedAt;
      decided_at: NullableTimestamp;
    };
    distribution_bindings: {
      merchant_id: number;
      customer_user_id: number;
      promoter_id: number;
      share_id: number | null;
      bound_at: Timestamp;
      expires_at: Timestamp;
    };
    distribution_commissions: {
      id: Id;
      merchant_id: number;
      order_id: number;
      order_no: string;
      buyer_user_id: number;
      promoter_id: number;
      tier: 1 | 2;
      lines: Json<CommissionLine[]>;
      paid_fen: number;
      original_fen: number;
      amount_fen: number;
      credited_fen: Generated<number>;
      status: CommissionStatus;
      created_at: CreatedAt;
      settled_at: NullableTimestamp;
    };
    distribution_refunds_applied: {
      order_id: number;
      refund_id: number;
      items: Json<Array<{ lineId: number; amountFen: number }>>;
      created_at: CreatedAt;
    };
    distribution_accounts: {
      promoter_id: number;
      merchant_id: number;
      balance_fen: Generated<number>;
      updated_at: UpdatedAt;
    };
    distribution_ledger: {
      id: Id;
      promoter_id: number;
      merchant_id: number;
      delta_fen: number;
      balance_after: number;
      reason: LedgerReason;
      ref: string;
      created_at: CreatedAt;
    };
    distribution_withdrawals: {
      id: Id;
      merchant_id: number;
      promoter_id: number;
      amount_fen: number;
      status: WithdrawalStatus;
      out_batch_no: string;
      idempotency_key: string;
      provider: string | null;
      provider_batch_id: string | null;
      last_error: string | null;
      note: Generated<string>;
      requested_at: CreatedAt;
      decided_at: NullableTimestamp;
      finished_at: NullableTimestamp;
    };
  }
}

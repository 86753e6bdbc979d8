import type { Generated } from 'kysely';
import type { CreatedAt, Id, Json, NullableTimestamp, Timestamp, UpdatedAt } from '../../platform/db/types.ts';
import type { CouponKind, CouponScope } from './rules/coupons.ts';

export type CouponChannel = 'claim_centre' | 'room_drop' | 'new_user' | 'staff_issue' | 'lucky_bag' | 'invite';
export type PromotionKind = 'full_reduction' | 'limited_discount' | 'new_user_price';

declare module '../../platform/db/types.ts' {
  interface Database {
    coupon_templates: {
      id: Id;
      merchant_id: number | null;
      title: string;
      kind: CouponKind;
      amount_fen: number | null;
      percent_off_bp: number | null;
      cap_fen: number | null;
      threshold_fen: Generated<number>;
      scope: Json<CouponScope>;
      funding: 'platform' | 'merchant';
      valid_from: Date | string | null;
      valid_until: Date | string | null;
      valid_days: number | null;
      claim_starts_at: Generated<Date>;
      claim_ends_at: Date | string | null;
      total_quantity: number;
      claimed: Generated<number>;
      per_user_limit: Generated<number>;
      channels: Json<CouponChannel[]>;
      status: Generated<'active' | 'paused' | 'ended'>;
      created_at: CreatedAt;
    };
    coupons: {
      id: Id;
      template_id: number;
      user_id: number;
      merchant_id: number | null;
      channel: CouponChannel;
      ref: string | null;
      status: Generated<'unused' | 'used' | 'expired' | 'revoked'>;
      valid_from: Timestamp;
      valid_until: Timestamp;
      order_id: number | null;
      claimed_at: CreatedAt;
      used_at: NullableTimestamp;
    };
    promotions: {
      id: Id;
      merchant_id: number;
      kind: PromotionKind;
      title: string;
      terms: Json<Record<string, unknown>>;
      starts_at: Timestamp;
      ends_at: Timestamp;
      status: Generated<'active' | 'paused' | 'ended'>;
      created_at: CreatedAt;
    };
    points_accounts: { user_id: number; balance: Generated<number>; updated_at: UpdatedAt };
    flash_sessions: {
      id: Id;
      merchant_id: number;
      title: string;
      starts_at: Timestamp;
      ends_at: Timestamp;
      room_id: number | null;
      status: Generated<'active' | 'cancelled'>;
      created_at: CreatedAt;
    };
    flash_items: {
      id: Id;
      session_id: number;
      merchant_id: number;
      sku_id: number;
      product_id: number;
      flash_price_fen: number;
      stock: number;
      sold: Generated<number>;
      per_user_limit: Generated<number>;
      cache_key: string;
      cache_gen: Generated<number>;
    };
    flash_orders: {
      order_id: number;
      item_id: number;
      user_id: number;
      quantity: number;
      status: Generated<'held' | 'paid' | 'returned'>;
      returned_gen: number | null;
      created_at: CreatedAt;
    };
    flash_attempts: {
      attempt_id: string;
      item_id: number;
      user_id: number;
      quantity: number;
      outcome: 'settled' | 'expired';
      order_id: number | null;
      created_at: CreatedAt;
    };
    group_buy_deals: {
      id: Id;
      merchant_id: number;
      product_id: number;
      sku_id: number;
      title: string;
      group_price_fen: number;
      group_size: number;
      expire_minutes: number;
      auto_fill: Generated<boolean>;
      starts_at: Timestamp;
      ends_at: Timestamp;
      status: Generated<'active' | 'ended'>;
      created_at: CreatedAt;
    };
    group_buy_groups: {
      id: Id;
      deal_id: number;
      leader_user_id: number;
      status: Generated<'forming' | 'succeeded' | 'failed'>;
      expires_at: Timestamp;
      created_at: CreatedAt;
      closed_at: NullableTimestamp;
    };
    group_buy_members: {
      group_id: number;
      user_id: number;
      order_id: number;
      status: Generated<'pending' | 'paid' | 'left' | 'refunding' | 'refunded'>;
      refund_id: number | null;
      joined_at: CreatedAt;
    };
    bargain_campaigns: {
      id: Id;
      merchant_id: number;
      product_id: number;
      sku_id: number;
      title: string;
      floor_price_fen: number;
      helps_needed: number;
      expire_hours: number;
      starts_at: Timestamp;
      ends_at: Timestamp;
      status: Generated<'active' | 'ended'>;
      created_at: CreatedAt;
    };
    bargains: {
      id: Id;
      campaign_id: number;
      user_id: number;
      start_price_fen: number;
      current_price_fen: number;
      floor_price_fen: number;
      helps_needed: number;
      helps: Generated<number>;
      seed: number;
      status: Generated<'active' | 'reached' | 'bought' | 'expired'>;
      expires_at: Timestamp;
      order_id: number | null;
      created_at: CreatedAt;
    };
    bargain_helps: { bargain_id: number; helper_user_id: number; seq: number; cut_fen: number; created_at: CreatedAt };
    points_ledger: {
      id: Id;
      user_id: number;
      delta: number;
      balance_after: number;
      reason: string;
      ref: string;
      created_at: CreatedAt;
    };
  }
}

import type { Generated } from 'kysely';
import type {
  CreatedAt,
  Json,
  JsonWithDefault,
  NullableTimestamp,
  Timestamp,
  UpdatedAt,
} from '../../platform/db/types.ts';

export type WordAction = 'mask' | 'block' | 'review';
export type ChatStatus = 'visible' | 'held' | 'blocked' | 'deleted' | 'rejected';
export type LuckyBagCondition =
  | { kind: 'comment'; keyword: string }
  | { kind: 'follow' }
  | { kind: 'watch'; minutes: number }
  /** Shared the room (growth: a share of it made or made again since the bag started). */
  | { kind: 'share_room' };
export interface LuckyBagPrize {
  kind: 'product' | 'coupon' | 'coins' | 'other';
  description: string;
  productId?: number | undefined;
  couponId?: number | undefined;
  coins?: number | undefined;
}

declare module '../../platform/db/types.ts' {
  interface Database {
    sensitive_words: {
      id: Generated<number>;
      merchant_id: number | null;
      word: string;
      action: WordAction;
      created_by: number | null;
      created_at: CreatedAt;
    };
    chat_messages: {
      id: Generated<number>;
      room_id: number;
      merchant_id: number;
      seq: number | null;
      user_id: number;
      nickname: string;
      text: string;
      original_text: string;
      status: ChatStatus;
      moderation: JsonWithDefault<Record<string, unknown>>;
      created_at: CreatedAt;
    };
    room_sanctions: {
      id: Generated<number>;
      merchant_id: number;
      room_id: number | null;
      user_id: number;
      kind: 'mute' | 'ban';
      until: Date | null;
      reason: Generated<string>;
      created_by: number;
      lifted_at: NullableTimestamp;
      created_at: CreatedAt;
    };
    chat_reports: {
      id: Generated<number>;
      room_id: number;
      merchant_id: number;
      message_seq: number;
      reporter_id: number;
      reason: string;
      status: Generated<'open' | 'resolved' | 'dismissed'>;
      created_at: CreatedAt;
    };
    gifts: {
      id: Generated<number>;
      name: string;
      icon_url: string | null;
      price_coins: number;
      effect: Generated<'float' | 'banner' | 'fullscreen'>;
      enabled: Generated<boolean>;
      sort: Generated<number>;
      created_at: CreatedAt;
    };
    coin_wallets: { user_id: number; balance: Generated<number>; updated_at: UpdatedAt };
    coin_ledger: {
      id: Generated<number>;
      user_id: number;
      delta: number;
      balance_after: number;
      reason: string;
      ref: string;
      created_at: CreatedAt;
    };
    coin_topups: {
      id: Generated<number>;
      user_id: number;
      coins: number;
      amount_fen: number;
      payment_id: number | null;
      status: Generated<'pending' | 'credited'>;
      created_at: CreatedAt;
      credited_at: NullableTimestamp;
    };
    gift_sends: {
      id: Generated<number>;
      room_id: number;
      merchant_id: number;
      anchor_user_id: number | null;
      sender_id: number;
      gift_id: number;
      quantity: number;
      coins: number;
      client_ref: string;
      created_at: CreatedAt;
    };
    gift_earnings: {
      id: Generated<number>;
      gift_send_id: number;
      merchant_id: number;
      anchor_user_id: number | null;
      room_id: number;
      gross_fen: number;
      merchant_fen: number;
      platform_fen: number;
      created_at: CreatedAt;
    };
    lucky_bags: {
      id: Generated<number>;
      room_id: number;
      merchant_id: number;
      title: string;
      prize: Json<LuckyBagPrize>;
      winners_count: number;
      condition: Json<LuckyBagCondition>;
      seed_hash: string;
      seed: string;
      status: Generated<'open' | 'drawn' | 'cancelled'>;
      draw_at: Timestamp;
      drawn_at: NullableTimestamp;
      created_by: number;
      created_at: CreatedAt;
    };
    lucky_bag_entries: { bag_id: number; user_id: number; created_at: CreatedAt };
    lucky_bag_winners: {
      bag_id: number;
      user_id: number;
      rank: number;
      prize: Json<LuckyBagPrize>;
      created_at: CreatedAt;
    };
    coupon_drops: {
      id: Generated<number>;
      room_id: number;
      merchant_id: number;
      coupon_id: number;
      title: string;
      quantity: number;
      claimed: Generated<number>;
      ends_at: Timestamp;
      created_by: number;
      created_at: CreatedAt;
    };
    coupon_drop_claims: {
      drop_id: number;
      user_id: number;
      status: 'granted' | 'pending_marketing';
      detail: JsonWithDefault<Record<string, unknown>>;
      created_at: CreatedAt;
    };
  }
}

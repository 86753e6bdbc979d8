// Growth's tables (migrations/1100–1101). Visitors are 'u:<userId>' or 'd:<visitor key>'.
import type { Generated } from 'kysely';
import type {
  CreatedAt,
  Id,
  JsonWithDefault,
  NullableTimestamp,
  Timestamp,
  UpdatedAt,
} from '../../platform/db/types.ts';
import type { ShareTargetKind, TouchKind } from './events.ts';

export type InvitationStatus = 'pending' | 'rewarded' | 'settled' | 'reversed';
export type RewardStatus = 'granted' | 'skipped' | 'revoked' | 'kept' | 'partly_revoked';

declare module '../../platform/db/types.ts' {
  interface Database {
    growth_shares: {
      id: Id;
      token: string;
      merchant_id: number;
      sharer_key: string;
      sharer_user_id: number | null;
      target_kind: ShareTargetKind;
      target_id: number;
      parent_share_id: number | null;
      depth: Generated<number>;
      times_shared: Generated<number>;
      last_shared_at: Generated<Date>;
      created_at: CreatedAt;
    };
    growth_touches: {
      id: Id;
      merchant_id: number;
      share_id: number;
      visitor_key: string;
      visitor_user_id: number | null;
      kind: TouchKind;
      room_id: number | null;
      hits: Generated<number>;
      first_at: Generated<Date>;
      last_at: Generated<Date>;
    };
    growth_visitor_touches: {
      merchant_id: number;
      visitor_key: string;
      first_share_id: number;
      first_at: Timestamp;
      last_share_id: number;
      last_at: Timestamp;
    };
    growth_registrations: { user_id: number; registered_at: Timestamp };
    growth_order_attributions: {
      order_id: number;
      merchant_id: number;
      buyer_user_id: number;
      room_id: number | null;
      first_share_id: number;
      last_share_id: number;
      total_fen: number;
      refunded_fen: Generated<number>;
      product_ids: JsonWithDefault<number[]>;
      placed_at: Generated<Date>;
      paid_at: NullableTimestamp;
    };
    growth_invite_settings: {
      merchant_id: number;
      enabled: Generated<boolean>;
      inviter_coupon_template_ids: JsonWithDefault<number[]>;
      inviter_points: Generated<number>;
      invitee_coupon_template_ids: JsonWithDefault<number[]>;
      invitee_points: Generated<number>;
      updated_at: UpdatedAt;
    };
    growth_invitations: {
      id: Id;
      merchant_id: number;
      inviter_user_id: number;
      invitee_user_id: number;
      share_id: number;
      status: Generated<InvitationStatus>;
      order_id: number | null;
      created_at: CreatedAt;
      rewarded_at: NullableTimestamp;
      settled_at: NullableTimestamp;
      reversed_at: NullableTimestamp;
    };
    growth_invite_rewards: {
      id: Id;
      invitation_id: number;
      user_id: number;
      role: 'inviter' | 'invitee';
      kind: 'coupon' | 'points';
      coupon_template_id: number | null;
      coupon_id: number | null;
      points: Generated<number>;
      status: RewardStatus;
      points_revoked: Generated<number>;
      note: string | null;
      created_at: CreatedAt;
      revoked_at: NullableTimestamp;
    };
  }
}

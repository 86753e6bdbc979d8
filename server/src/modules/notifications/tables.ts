import type { Generated } from 'kysely';
import type { CreatedAt, Id, JsonWithDefault, NullableTimestamp, UpdatedAt } from '../../platform/db/types.ts';

export const NOTICE_KINDS = ['service', 'order', 'aftersale', 'live', 'marketing'] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];
export type NoticeParams = Record<string, string | number | null>;
export type DeliveryChannel = 'sms' | 'wechat';

export interface NotificationsTable {
  id: Id;
  user_id: number;
  kind: NoticeKind;
  topic: string;
  merchant_id: number | null;
  ref: string;
  params: JsonWithDefault<NoticeParams>;
  dedupe_key: string;
  read_at: NullableTimestamp;
  created_at: CreatedAt;
}

export interface NotificationPreferencesTable {
  user_id: number;
  kind: NoticeKind;
  enabled: boolean;
  sms: boolean;
  wechat: boolean;
  updated_at: UpdatedAt;
}

export interface NotificationDeliveriesTable {
  id: Id;
  notification_id: number;
  channel: DeliveryChannel;
  status: Generated<'queued' | 'sent' | 'skipped' | 'failed'>;
  detail: string | null;
  created_at: CreatedAt;
  sent_at: NullableTimestamp;
}

export interface NotificationFollowersTable {
  merchant_id: number;
  user_id: number;
  created_at: CreatedAt;
}

export interface NotificationCampaignsTable {
  id: Id;
  merchant_id: number;
  title: string;
  body: string;
  product_id: number | null;
  created_by: number;
  recipients: number | null;
  created_at: CreatedAt;
}

declare module '../../platform/db/types.ts' {
  interface Database {
    notifications: NotificationsTable;
    notification_preferences: NotificationPreferencesTable;
    notification_deliveries: NotificationDeliveriesTable;
    notification_followers: NotificationFollowersTable;
    notification_campaigns: NotificationCampaignsTable;
  }
}

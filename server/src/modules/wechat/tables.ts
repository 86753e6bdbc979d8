import type { Generated } from 'kysely';
import type { CreatedAt, Id, JsonWithDefault, NullableTimestamp, UpdatedAt } from '../../platform/db/types.ts';

export type SubscribeKind = 'liveStart' | 'orderShipped';

export interface WechatSubscriptionsTable {
  user_id: number;
  template_id: string;
  remaining: number;
  last_result: string;
  updated_at: UpdatedAt;
}

export interface WechatMessagesTable {
  id: Id;
  user_id: number;
  kind: SubscribeKind;
  template_id: string;
  /** What the message is about: the room or order id, and the event that caused it. */
  ref: string;
  params: JsonWithDefault<Record<string, string | number>>;
  status: Generated<'queued' | 'sent' | 'dropped' | 'failed'>;
  errcode: number | null;
  created_at: CreatedAt;
  sent_at: NullableTimestamp;
}

declare module '../../platform/db/types.ts' {
  interface Database {
    wechat_subscriptions: WechatSubscriptionsTable;
    wechat_messages: WechatMessagesTable;
  }
}

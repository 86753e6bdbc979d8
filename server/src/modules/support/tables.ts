// The conversations part's tables (migrations/1200_conversations.sql).
import type { Generated } from 'kysely';
import type {
  CreatedAt,
  Id,
  Json,
  JsonWithDefault as JsonDefault,
  NullableTimestamp,
  UpdatedAt,
} from '../../platform/db/types.ts';

export type ConversationStatus = 'bot' | 'queued' | 'assigned' | 'left_message' | 'closed';
export type ConversationSource = 'shop' | 'product' | 'order' | 'aftersale' | 'room';
export type Sender = 'shopper' | 'agent' | 'bot' | 'system';
export type MessageKind = 'text' | 'image' | 'product' | 'order' | 'system';
export type AgentStatus = 'online' | 'busy' | 'away' | 'offline';
export type Priority = 'normal' | 'high';

declare module '../../platform/db/types.ts' {
  interface Database {
    support_conversations: {
      id: Id;
      merchant_id: number;
      user_id: number;
      status: ConversationStatus;
      priority: Generated<Priority>;
      source: Generated<ConversationSource>;
      source_id: number | null;
      room_id: number | null;
      agent_user_id: number | null;
      last_seq: Generated<number>;
      shopper_read_seq: Generated<number>;
      agent_read_seq: Generated<number>;
      shopper_unread: Generated<number>;
      agent_unread: Generated<number>;
      last_message_at: NullableTimestamp;
      last_preview: Generated<string>;
      queue_reason: string | null;
      queued_at: NullableTimestamp;
      assigned_at: NullableTimestamp;
      first_shopper_at: NullableTimestamp;
      first_response_at: NullableTimestamp;
      human_joined: Generated<boolean>;
      closed_at: NullableTimestamp;
      closed_by: string | null;
      rating: number | null;
      rating_comment: Generated<string>;
      rated_at: NullableTimestamp;
      created_at: CreatedAt;
      updated_at: UpdatedAt;
    };
    support_messages: {
      id: Id;
      conversation_id: number;
      merchant_id: number;
      seq: number;
      sender: Sender;
      sender_user_id: number | null;
      client_id: string | null;
      kind: MessageKind;
      text: Generated<string>;
      payload: JsonDefault<Record<string, unknown>>;
      moderation: Json<unknown> | null;
      created_at: CreatedAt;
    };
    support_notes: {
      id: Id;
      conversation_id: number;
      merchant_id: number;
      author_user_id: number;
      text: string;
      created_at: CreatedAt;
    };
    support_agents: {
      merchant_id: number;
      user_id: number;
      status: Generated<AgentStatus>;
      capacity: Generated<number>;
      active: Generated<number>;
      last_assigned_at: NullableTimestamp;
      updated_at: UpdatedAt;
    };
    support_canned_replies: {
      id: Id;
      merchant_id: number;
      title: string;
      text: string;
      created_at: CreatedAt;
      updated_at: UpdatedAt;
    };
  }
}

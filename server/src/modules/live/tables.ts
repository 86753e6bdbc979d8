import type { Generated } from 'kysely';
import type { CreatedAt, Id, NullableTimestamp, Timestamp, UpdatedAt } from '../../platform/db/types.ts';

export type RoomStatus = 'scheduled' | 'live' | 'ended';
export interface LiveRoomsTable {
  id: Id;
  merchant_id: number;
  title: string;
  cover_url: string | null;
  anchor_user_id: number | null;
  scheduled_at: Date | string | null;
  status: Generated<RoomStatus>;
  visibility: Generated<'public' | 'private'>;
  stream_key: string;
  pinned_product_id: number | null;
  viewer_peak: Generated<number>;
  /** Its title's words for search (" w1 w2 "); null until indexed. */
  search_terms: Generated<string | null>;
  started_at: NullableTimestamp;
  ended_at: NullableTimestamp;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}
export interface LiveRoomProductsTable {
  room_id: number;
  product_id: number;
  position: number;
}
export interface LiveSessionsTable {
  id: Id;
  room_id: number;
  started_at: CreatedAt;
  ended_at: NullableTimestamp;
  replay_ready: Generated<boolean>;
  replay_duration_sec: number | null;
  replay_deleted_at: NullableTimestamp;
}
export interface LiveRemindersTable {
  room_id: number;
  user_id: number;
  created_at: CreatedAt;
  notified_at: NullableTimestamp;
}
export interface LiveRoomInvitesTable {
  id: Id;
  room_id: number;
  merchant_id: number;
  note: Generated<string>;
  expires_at: Timestamp;
  revoked_at: NullableTimestamp;
  created_by: number;
  created_at: CreatedAt;
}

declare module '../../platform/db/types.ts' {
  interface Database {
    live_rooms: LiveRoomsTable;
    live_room_products: LiveRoomProductsTable;
    live_sessions: LiveSessionsTable;
    live_reminders: LiveRemindersTable;
    live_room_invites: LiveRoomInvitesTable;
  }
}

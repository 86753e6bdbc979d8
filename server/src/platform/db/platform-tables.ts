// Kysely types for the platform's own tables (migrations/0001_platform.sql).
import type { ColumnType, Generated } from 'kysely';
import type { CreatedAt, Id, Json, NullableTimestamp, Timestamp } from './types.ts';

export interface OutboxEventsTable {
  id: Id;
  type: string;
  aggregate_type: string;
  aggregate_id: string;
  payload: Json;
  created_at: CreatedAt;
  available_at: ColumnType<Date, Date | string | undefined, Date | string>;
  attempts: Generated<number>;
  last_error: string | null;
  locked_by: string | null;
  locked_until: NullableTimestamp;
  dispatched_at: NullableTimestamp;
  dead_at: NullableTimestamp;
}

export interface ProcessedEventsTable {
  handler: string;
  event_id: number;
  processed_at: CreatedAt;
}

export interface JobsTable {
  id: Id;
  type: string;
  payload: ColumnType<unknown, string | undefined, string>;
  unique_key: string | null;
  run_at: Timestamp;
  status: Generated<'pending' | 'done' | 'failed' | 'cancelled'>;
  attempts: Generated<number>;
  max_attempts: Generated<number>;
  last_error: string | null;
  locked_by: string | null;
  locked_until: NullableTimestamp;
  created_at: CreatedAt;
  finished_at: NullableTimestamp;
}

export interface PlatformSettingsTable {
  key: string;
  value: Json;
  updated_at: CreatedAt;
}

declare module './types.ts' {
  interface Database {
    outbox_events: OutboxEventsTable;
    processed_events: ProcessedEventsTable;
    jobs: JobsTable;
    platform_settings: PlatformSettingsTable;
  }
}

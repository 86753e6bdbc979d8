// The database schema as Kysely sees it. Each module adds its own tables by augmenting this
// interface next to its migrations (declare module '.../db/types.ts'), so a module owns its types.
import type { Kysely, Transaction, ColumnType, Generated } from 'kysely';

// biome-ignore lint/suspicious/noEmptyInterface: an interface so that each module can augment it with its tables
export interface Database {}

export type Db = Kysely<Database>;
export type Tx = Transaction<Database>;

/** A timestamp column with a database default. */
export type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
/** A timestamp with a database default that code also updates (updated_at, last_used_at). */
export type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>;
export type Timestamp = ColumnType<Date, Date | string, Date | string>;
export type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
/** A JSON column: written as a JSON string or value, read back as the parsed value. */
export type Json<T = unknown> = ColumnType<T, T | string, T | string>;
export type Id = Generated<number>;
/** A JSON column with a database default (optional on insert). */
export type JsonWithDefault<T = unknown> = ColumnType<T, T | string | undefined, T | string>;

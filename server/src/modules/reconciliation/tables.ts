// Kysely types for the reconciliation module's own tables (migrations/0900_reconciliation.sql).
import type { Generated } from 'kysely';
import type { CreatedAt, Id, JsonWithDefault, NullableTimestamp, Timestamp } from '../../platform/db/types.ts';

export type RunStatus = 'queued' | 'running' | 'clean' | 'discrepancies' | 'failed';
export type RunTrigger = 'schedule' | 'manual' | 'cli';

/** What one check found in one run. */
export interface CheckOutcome {
  name: string;
  description: string;
  status: 'clean' | 'discrepancies' | 'error';
  count: number;
  /** Why the check itself could not finish (status 'error'). */
  error?: string;
  ms: number;
}

declare module '../../platform/db/types.ts' {
  interface Database {
    reconciliation_runs: {
      id: Id;
      merchant_id: number | null;
      range_from: Timestamp;
      range_to: Timestamp;
      trigger: RunTrigger;
      requested_by: number | null;
      status: Generated<RunStatus>;
      checks: JsonWithDefault<CheckOutcome[]>;
      discrepancy_count: Generated<number>;
      error: string | null;
      created_at: CreatedAt;
      started_at: NullableTimestamp;
      finished_at: NullableTimestamp;
    };
    reconciliation_discrepancies: {
      id: Id;
      run_id: number;
      check_name: string;
      merchant_id: number | null;
      subject: string;
      message: string;
      expected: string;
      actual: string;
      rows: JsonWithDefault<unknown[]>;
    };
  }
}

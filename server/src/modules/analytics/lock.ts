// The rollup and device stitching hold one transaction-scoped advisory lock, so a rollup never
// runs on two nodes at once and never sees a half-stitched device.
import type { Db } from '../../platform/db/types.ts';
import { transact } from '../../platform/db/transact.ts';

export const ANALYTICS_LOCK = 8_800_001;

/** Run in the caller's transaction when there is one, else in a new one. */
export function inTransaction<T>(db: Db, fn: (trx: Db) => Promise<T>): Promise<T> {
  return transact(db, fn);
}

// Housekeeping that keeps the outbox and job tables small: delivered events and finished jobs
// are kept for a week (for support and replays), then removed.
import { sql } from 'kysely';
import type { JobQueue } from './jobs.ts';

const RETENTION = '7 days';

export function registerMaintenance(jobs: JobQueue): void {
  jobs.recurring({
    type: 'platform.prune_outbox_and_jobs',
    everyMs: 60 * 60_000,
    async run(_job, db) {
      await sql`delete from processed_events where event_id in (
        select id from outbox_events where dispatched_at < now() - ${RETENTION}::interval)`.execute(db);
      await sql`delete from outbox_events where dispatched_at < now() - ${RETENTION}::interval`.execute(db);
      await sql`delete from jobs where status in ('done', 'cancelled') and finished_at < now() - ${RETENTION}::interval`.execute(
        db,
      );
    },
  });
}

// Reconciliation (对账): runs every check the modules registered in ctx.reconcile — daily for the
// previous day, on demand from the console or the API, and from `npm run reconcile` — and keeps
// each run's report with every discrepancy and the rows involved.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import type { Module } from '../../platform/context.ts';
import { transact } from '../../platform/db/transact.ts';
import { reconciliationChecks } from './checks/index.ts';
import { ReconciliationService } from './reconciliation-service.ts';
import { RUN_JOB } from './run-store.ts';
import { reconciliationRoutes } from './routes.ts';

declare module '../../platform/context.ts' {
  interface Services {
    reconciliation: ReconciliationService;
  }
}

export const DAILY_JOB = 'reconciliation.daily';
const RUN_ATTEMPTS = 3;

export const reconciliationModule: Module = {
  name: 'reconciliation',
  migrationsDir: path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations'),
  init(ctx) {
    const svc = new ReconciliationService(ctx);
    ctx.services.reconciliation = svc;
    for (const check of reconciliationChecks) ctx.reconcile.register(check);
    // Network-free but long: outside a transaction, so the checks each get their own snapshot.
    ctx.jobs.register<{ runId: number }>({
      type: RUN_JOB,
      transactional: false,
      run: async (job) => {
        try {
          await svc.store.execute(job.payload.runId);
        } catch (err) {
          const why = err instanceof Error ? err.message : String(err);
          if (job.attempts >= RUN_ATTEMPTS) await svc.store.markFailed(job.payload.runId, why);
          throw err;
        }
      },
    });
    // Once a day (each UTC midnight, 08:00 in Asia/Shanghai): the whole platform, the previous local day.
    ctx.jobs.recurring({
      type: DAILY_JOB,
      everyMs: 24 * 3600_000,
      run: async (_job, db) => {
        const tz = ctx.config.analytics.timeZone;
        const { rows } = await sql<{ day: string }>`
          select to_char((now() at time zone ${tz})::date - 1, 'YYYY-MM-DD') as day`.execute(db);
        const range = await svc.range({ day: rows[0]!.day }, db);
        await transact(db, (trx) => svc.store.request(trx, { merchantId: null, ...range }, 'schedule', null));
      },
    });
  },
  routes: reconciliationRoutes,
};

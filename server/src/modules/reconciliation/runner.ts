// Runs every check registered in ctx.reconcile and says what does not add up. It only reads: the
// checks run one after another (two cores are shared with the shop), each on PostgreSQL in its own
// read-only REPEATABLE READ snapshot so the tables it compares are seen at one instant. PGlite has
// one connection, so a check there runs on the plain client: a transaction would deadlock any
// check that reads through a service's own client. Either way, a check that finds something is
// run once more after a short pause and only what it finds both times is kept, so a change caught
// half-way (a refund between "asked" and "done", a payment whose event is being delivered) is not
// reported as a discrepancy while the real ones, which stay, are.
import { sql } from 'kysely';
import type { AppContext } from '../../platform/context.ts';
import type { Db } from '../../platform/db/types.ts';
import type { Discrepancy, ReconcileCheck, ReconcileScope } from '../../platform/reconcile.ts';
import type { CheckOutcome } from './tables.ts';

export interface RunScope {
  /** null: every shop and the platform. */
  merchantId: number | null;
  from: Date;
  to: Date;
}

export interface RunProgress {
  checkStarted?(check: ReconcileCheck, index: number, total: number): void;
  checkFinished?(outcome: CheckOutcome, index: number, total: number): void;
}

export interface Evaluation {
  outcomes: CheckOutcome[];
  discrepancies: Discrepancy[];
}

export interface RunnerOptions {
  /** Pause before a check that found something is asked again (default 1 s). */
  confirmDelayMs?: number;
  /** PostgreSQL statement timeout for one check (default 120 s). */
  statementTimeoutMs?: number;
}

const keyOf = (d: Discrepancy) => `${d.merchantId ?? ''}|${d.subject}|${d.message}`;

export class ReconciliationRunner {
  constructor(
    private readonly ctx: AppContext,
    private readonly opts: RunnerOptions = {},
  ) {}

  get checks(): readonly ReconcileCheck[] {
    return this.ctx.reconcile.checks;
  }

  async evaluate(scope: RunScope, progress: RunProgress = {}): Promise<Evaluation> {
    const checks = this.checks;
    const outcomes: CheckOutcome[] = [];
    const discrepancies: Discrepancy[] = [];
    for (const [i, check] of checks.entries()) {
      progress.checkStarted?.(check, i, checks.length);
      const started = Date.now();
      let outcome: CheckOutcome;
      try {
        let found = await this.runOnce(check, scope);
        if (found.length > 0) {
          await new Promise((r) => setTimeout(r, this.opts.confirmDelayMs ?? 1000));
          const first = new Set(found.map(keyOf));
          found = (await this.runOnce(check, scope)).filter((d) => first.has(keyOf(d)));
        }
        discrepancies.push(...found);
        const status = found.length ? ('discrepancies' as const) : ('clean' as const);
        const ms = Date.now() - started;
        outcome = { name: check.name, description: check.description, status, count: found.length, ms };
      } catch (err) {
        this.ctx.log.error({ err, check: check.name }, 'reconciliation check failed');
        const error = (err instanceof Error ? err.message : String(err)).slice(0, 500);
        outcome = {
          name: check.name,
          description: check.description,
          status: 'error',
          count: 0,
          error,
          ms: Date.now() - started,
        };
      }
      outcomes.push(outcome);
      progress.checkFinished?.(outcome, i, checks.length);
    }
    return { outcomes, discrepancies };
  }

  private async runOnce(check: ReconcileCheck, scope: RunScope): Promise<Discrepancy[]> {
    const run = (db: Db) => check.run(this.scopeFor(db, scope));
    const timeoutMs = Math.floor(this.opts.statementTimeoutMs ?? 120_000);
    const found =
      this.ctx.dbKind === 'postgres'
        ? await this.ctx.db
            .transaction()
            .setIsolationLevel('repeatable read')
            .setAccessMode('read only')
            .execute(async (trx) => {
              await sql.raw(`set local statement_timeout = ${timeoutMs}`).execute(trx);
              return run(trx);
            })
        : await run(this.ctx.db);
    // A shop's run shows that shop's books only, whatever a check returns.
    return found
      .filter((d) => scope.merchantId === null || d.merchantId === scope.merchantId)
      .map((d) => ({ ...d, check: check.name }));
  }

  private scopeFor(db: Db, scope: RunScope): ReconcileScope {
    const shop = scope.merchantId !== null ? { merchantId: scope.merchantId } : {};
    return { db, cache: this.ctx.cache, from: scope.from, to: scope.to, ...shop };
  }
}

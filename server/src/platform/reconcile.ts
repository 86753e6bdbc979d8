// Reconciliation (对账) is a registry, like health: each module that owns books (inventory's stock
// ledger, payments and refunds, points, flash-sale units, the outbox and jobs) registers the checks
// of its own invariants in init(); the reconciliation module runs them all on a schedule, on demand
// and from `npm run reconcile`, and keeps the report. A check only reads, and never fixes anything.
import type { Cache } from './cache/cache.ts';
import type { Db } from './db/types.ts';

/** One thing that does not add up, with enough of the rows involved to find it. */
export interface Discrepancy {
  /** The check's name, e.g. 'inventory.ledger'. */
  check: string;
  /** The shop it concerns (null: the platform, or a payment shared by several shops). */
  merchantId: number | null;
  /** What is wrong, e.g. 'sku:12 warehouse:3'. */
  subject: string;
  message: string;
  expected: number | string;
  actual: number | string;
  /** The rows involved (ids and amounts; never personal data). */
  rows?: unknown[];
}

export interface ReconcileScope {
  db: Db;
  cache: Cache;
  /** Only this shop's books; undefined: every shop and the platform. */
  merchantId?: number | undefined;
  /** Checks that work per day (payments per provider and day) look at [from, to). */
  from: Date;
  to: Date;
}

export interface ReconcileCheck {
  /** Stable, dotted: '<module>.<invariant>'. */
  name: string;
  /** One line a merchant or operator understands, e.g. "on-hand stock = Σ stock ledger". */
  description: string;
  run(scope: ReconcileScope): Promise<Discrepancy[]>;
}

export class ReconcileRegistry {
  private readonly list: ReconcileCheck[] = [];

  register(check: ReconcileCheck): void {
    if (this.list.some((c) => c.name === check.name)) throw new Error(`Duplicate reconciliation check ${check.name}`);
    this.list.push(check);
  }

  get checks(): readonly ReconcileCheck[] {
    return this.list;
  }
}

// What a shopper is shown as available, kept per node so the product page runs no stock query. The
// stock book reports every movement from inside its transaction; the copies are dropped once that
// transaction has committed, here at once and on the other nodes over pub/sub. Placement still
// decides on the row itself: a copy only ever shows stock, it never sells it.
import type { AppContext } from '../../platform/context.ts';
import { type NearCache, nodeNearCache } from '../../platform/cache/near-cache.ts';
import { afterCommit } from '../../platform/db/transact.ts';
import type { Db } from '../../platform/db/types.ts';

/** A copy missed by a lost pub/sub message (a Redis reconnect) lives at most this long. */
const TTL_MS = 2_000;
/** A movement in a transaction whose commit we cannot see: its SKUs are read fresh this long. */
const HOLD_MS = 5_000;

export class ShownStock {
  private readonly near: NearCache<number, number>;

  constructor(
    ctx: AppContext,
    private readonly read: (skuIds: number[], db?: Db) => Promise<Map<number, number>>,
  ) {
    this.near = nodeNearCache(ctx, { name: 'inventory:available', ttlMs: TTL_MS, max: 100_000, what: 'shown stock' });
  }

  start = () => this.near.start();
  stop = () => this.near.stop();

  /** `db`: what to read through when this node has no copy; a transaction must not have moved these SKUs yet. */
  available(skuIds: number[], db?: Db): Promise<Map<number, number>> {
    return this.near.getMany(skuIds, (missing) => this.read(missing, db));
  }

  /** Called for every stock movement, with the mover's `db` (its transaction, if any). */
  moved(db: Db, skuIds: number[]): void {
    if (!afterCommit(db, () => this.near.invalidate(skuIds))) this.near.hold(skuIds, HOLD_MS);
  }
}

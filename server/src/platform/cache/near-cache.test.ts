// A node's copy never outlives a committed change it heard of: across two "nodes" (two caches on the
// same Redis, or the one in-process cache), through loads racing the change, and under holds.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CACHE_BACKENDS, uniquePrefix } from '../../../test/backends.ts';
import type { Cache } from './cache.ts';
import { openCache } from './index.ts';
import { NearCache } from './near-cache.ts';

function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

describe.each(CACHE_BACKENDS)('near cache on $name', (backend) => {
  let a: Cache;
  let b: Cache;
  let n = 0;
  const near = (cache: Cache, name: string, ttlMs = 60_000) =>
    new NearCache<number, number>({ name, cache, ttlMs, max: 1_000 });
  beforeAll(() => {
    const prefix = uniquePrefix();
    a = openCache({ redisUrl: backend.url, prefix });
    b = backend.url ? openCache({ redisUrl: backend.url, prefix }) : a;
  });
  afterAll(async () => {
    await a.close();
    if (b !== a) await b.close();
  });

  it('serves its copy without loading, and drops it on both nodes when either invalidates', async () => {
    const name = `t${n++}`;
    const [one, two] = [near(a, name), near(b, name)];
    await Promise.all([one.start(), two.start()]);
    let source = 1;
    let loads = 0;
    const load = async () => {
      loads++;
      return source;
    };
    expect(await one.get(7, load)).toBe(1);
    expect(await two.get(7, load)).toBe(1);
    expect(await one.get(7, load)).toBe(1);
    expect(loads).toBe(2);
    source = 2;
    one.invalidate([7]);
    expect(await one.get(7, load)).toBe(2); // this node: at once
    const heard = Date.now();
    while ((await two.get(7, load)) !== 2) {
      if (Date.now() - heard > 3_000) throw new Error('the other node never heard the invalidation');
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(loads).toBe(4);
    expect(await two.get(7, load)).toBe(2);
    await Promise.all([one.stop(), two.stop()]);
  });

  it('never stores what a load read before an invalidation, and shares one load between readers', async () => {
    const cache = near(a, `t${n++}`);
    const slow = deferred<number>();
    let loads = 0;
    const first = cache.get(1, () => {
      loads++;
      return slow.promise;
    });
    const second = cache.get(1, async () => {
      loads++;
      return -1;
    });
    cache.invalidate([1]);
    const third = cache.get(1, async () => {
      loads++;
      return 5;
    });
    slow.resolve(4); // read before the change: handed to its readers, never kept
    expect([await first, await second, await third]).toEqual([4, 4, 5]);
    expect(loads).toBe(2);
    expect(await cache.get(1, async () => 99)).toBe(5);
  });

  it('loads many keys at once, only the missing ones, and a hold reads fresh until it lapses', async () => {
    const cache = near(a, `t${n++}`);
    const asked: number[][] = [];
    const stock = new Map([
      [1, 10],
      [2, 20],
      [3, 30],
    ]);
    const load = async (ids: number[]) => {
      asked.push(ids);
      return new Map(ids.map((id) => [id, stock.get(id)!] as const));
    };
    expect([...(await cache.getMany([1, 2], load))]).toEqual([
      [1, 10],
      [2, 20],
    ]);
    expect([...(await cache.getMany([2, 3], load)).values()]).toEqual([20, 30]);
    expect(asked).toEqual([[1, 2], [3]]);
    cache.hold([2], 80);
    stock.set(2, 21);
    expect((await cache.getMany([2], load)).get(2)).toBe(21);
    stock.set(2, 22);
    expect((await cache.getMany([2], load)).get(2)).toBe(22); // held: read again, nothing kept
    await new Promise((r) => setTimeout(r, 100));
    expect((await cache.getMany([1, 2], load)).get(2)).toBe(22);
    expect(asked.at(-1)).toEqual([2]);
    expect((await cache.getMany([2], load)).get(2)).toBe(22);
    expect(asked.length).toBe(5);
  });

  it('after any interleaving of changes and slow loads, the next read shows the last change', async () => {
    const ops = fc.array(
      fc.oneof(
        fc.constant({ kind: 'change' as const }),
        fc.record({ kind: fc.constant('read' as const), many: fc.boolean() }),
        fc.record({ kind: fc.constant('finish' as const), pick: fc.nat() }),
      ),
      { maxLength: 30 },
    );
    await fc.assert(
      fc.asyncProperty(ops, async (steps) => {
        const cache = near(a, `p${n++}`);
        let source = 0;
        // A load reads the source when it starts (as a query's snapshot would) and answers when finished.
        const pending: Array<() => void> = [];
        const slowRead = () =>
          new Promise<number>((resolve) => {
            const seen = source;
            pending.push(() => resolve(seen));
          });
        const reads: Promise<unknown>[] = [];
        for (const step of steps) {
          if (step.kind === 'change') {
            source++;
            cache.invalidate([1]);
          } else if (step.kind === 'read') {
            reads.push(
              step.many ? cache.getMany([1], async () => new Map([[1, await slowRead()]])) : cache.get(1, slowRead),
            );
          } else if (pending.length) {
            pending.splice(step.pick % pending.length, 1)[0]!();
          }
          await new Promise((r) => setImmediate(r));
        }
        while (pending.length) {
          pending.shift()!();
          await new Promise((r) => setImmediate(r));
        }
        await Promise.all(reads);
        expect(await cache.get(1, async () => source)).toBe(source);
        expect((await cache.getMany([1], async () => new Map([[1, source]]))).get(1)).toBe(source);
      }),
      { numRuns: 200 },
    );
  });
});

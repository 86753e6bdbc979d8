// A node's own copy of hot reads that change rarely next to how often they are read (a product page,
// a shop's status, a SKU's stock), so the hottest GETs run no query at all.
//
// Freshness: whoever changes the data calls invalidate() once the write has committed. That drops this
// node's copies at once and tells the other nodes over the cache's pub/sub. A read that started before
// an invalidation never stores what it read (each key has an epoch), so a copy is never older than the
// last invalidation this node heard of. hold() covers a write whose commit the writer cannot see: the
// keys are read fresh, and nothing is stored for them, until it lapses. The TTL bounds what a lost
// pub/sub message (a Redis reconnect) can leave stale.
import { LRUCache } from 'lru-cache';
import type { Logger } from '../logger.ts';
import type { Cache, Unsubscribe } from './cache.ts';

type Key = string | number;

interface Slot<V> {
  epoch: number;
  value?: V;
  storedAt: number;
  heldUntil: number;
  inflight?: { epoch: number; promise: Promise<V | undefined> };
}

export interface NearCacheOptions {
  /** Names the pub/sub channel: every node's cache of the same name hears the same invalidations. */
  name: string;
  cache: Cache;
  ttlMs: number;
  /** Keys kept at most (least recently used go first). */
  max: number;
  onError?: (err: unknown) => void;
}

export class NearCache<K extends Key, V extends NonNullable<unknown>> {
  private readonly slots: LRUCache<K, Slot<V>>;
  private readonly channel: string;
  private unsubscribe: Unsubscribe | undefined;

  constructor(private readonly opts: NearCacheOptions) {
    this.slots = new LRUCache<K, Slot<V>>({ max: opts.max });
    this.channel = `near:${opts.name}`;
  }

  /** Hear the other nodes' invalidations. */
  async start(): Promise<void> {
    this.unsubscribe = await this.opts.cache.subscribe(this.channel, (message) => {
      try {
        for (const key of JSON.parse(message) as K[]) this.drop(key);
      } catch (err) {
        this.opts.onError?.(err);
      }
    });
  }

  async stop(): Promise<void> {
    await this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.slots.clear();
  }

  /** The cached value, or what `load` returns (stored unless the key changed meanwhile); undefined is not stored. */
  async get(key: K, load: () => Promise<V | undefined>): Promise<V | undefined> {
    const now = Date.now();
    const slot = this.slot(key);
    if (slot.heldUntil > now) return load();
    if (slot.value !== undefined && now - slot.storedAt < this.opts.ttlMs) return slot.value;
    if (slot.inflight?.epoch === slot.epoch) return slot.inflight.promise;
    const epoch = slot.epoch;
    const promise = load().then((value) => {
      this.store(key, slot, epoch, value);
      return value;
    });
    slot.inflight = { epoch, promise };
    try {
      return await promise;
    } finally {
      if (slot.inflight?.promise === promise) slot.inflight = undefined;
    }
  }

  /** Many keys at once: one `load` for all the keys that have no fresh copy (and no load under way). */
  async getMany(keys: readonly K[], load: (missing: K[]) => Promise<Map<K, V>>): Promise<Map<K, V>> {
    const now = Date.now();
    const out = new Map<K, V>();
    const waiting: Array<[K, Promise<V | undefined>]> = [];
    const missing: K[] = [];
    for (const key of new Set(keys)) {
      const slot = this.slot(key);
      if (slot.heldUntil <= now && slot.value !== undefined && now - slot.storedAt < this.opts.ttlMs) {
        out.set(key, slot.value);
      } else if (slot.heldUntil <= now && slot.inflight?.epoch === slot.epoch) {
        waiting.push([key, slot.inflight.promise]);
      } else {
        missing.push(key);
      }
    }
    if (missing.length) {
      const epochs = missing.map((key) => this.slot(key).epoch);
      const loaded = load(missing);
      const each = missing.map((key, i) => {
        const slot = this.slot(key);
        const promise = loaded.then((all) => {
          const value = all.get(key);
          this.store(key, slot, epochs[i]!, value);
          return value;
        });
        promise.catch(() => undefined); // a failed load is thrown once, from `await loaded` below
        if (slot.heldUntil <= now) slot.inflight = { epoch: epochs[i]!, promise };
        return [key, promise, slot] as const;
      });
      try {
        for (const [key, promise] of each) waiting.push([key, promise]);
        await loaded;
      } finally {
        for (const [, promise, slot] of each) if (slot.inflight?.promise === promise) slot.inflight = undefined;
      }
    }
    for (const [key, promise] of waiting) {
      const value = await promise;
      if (value !== undefined) out.set(key, value);
    }
    return out;
  }

  /** After a committed change: drop these keys here now and on every other node soon. */
  invalidate(keys: readonly K[]): void {
    if (keys.length === 0) return;
    for (const key of keys) this.drop(key);
    this.opts.cache.publish(this.channel, JSON.stringify(keys)).catch((err) => this.opts.onError?.(err));
  }

  /** A change is under way whose commit this node will not see: read these keys fresh for `ms`. */
  hold(keys: readonly K[], ms: number): void {
    const until = Date.now() + ms;
    for (const key of keys) {
      const slot = this.slot(key);
      slot.epoch++;
      slot.value = undefined;
      slot.heldUntil = Math.max(slot.heldUntil, until);
    }
  }

  private slot(key: K): Slot<V> {
    let slot = this.slots.get(key);
    if (!slot) {
      slot = { epoch: 0, storedAt: 0, heldUntil: 0 };
      this.slots.set(key, slot);
    }
    return slot;
  }

  private drop(key: K): void {
    const slot = this.slots.get(key);
    if (!slot) return;
    slot.epoch++;
    slot.value = undefined;
  }

  private store(key: K, slot: Slot<V>, epoch: number, value: V | undefined): void {
    if (value === undefined || slot.epoch !== epoch || slot.heldUntil > Date.now()) return;
    if (this.slots.get(key) !== slot) return; // evicted while loading
    slot.value = value;
    slot.storedAt = Date.now();
  }
}

/** A NearCache on the node's cache; an invalidation lost on the way is logged as a warning about `what`. */
export function nodeNearCache<K extends Key, V extends NonNullable<unknown>>(
  node: { cache: Cache; log: Logger },
  opts: Omit<NearCacheOptions, 'cache' | 'onError'> & { what: string },
): NearCache<K, V> {
  const { what, ...rest } = opts;
  return new NearCache<K, V>({
    ...rest,
    cache: node.cache,
    onError: (err) => node.log.warn({ err }, `${what}: invalidation not sent or not read`),
  });
}

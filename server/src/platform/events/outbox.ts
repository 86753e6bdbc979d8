// Domain event bus with a transactional outbox.
// - emit(trx, event) writes the event row inside the caller's transaction: no change without its event.
// - The dispatcher claims due rows with a lease (safe with several nodes), delivers each to every
//   subscribed handler, and marks the row dispatched when all succeeded. A failure (or a crash)
//   leaves the row for redelivery with backoff; at-least-once.
// - Each handler's processing is recorded in processed_events in the same transaction as its
//   effects, so a redelivered event changes nothing for handlers that already succeeded.
// - Every event is declared in the catalogue (catalogue.ts, one events.ts per emitting module):
//   emit and subscribe are typed by it, a subscription to an undeclared name fails at startup, and
//   outside production a payload that does not match its declaration is refused at emit.
import { sql } from 'kysely';
import type { Logger } from 'pino';
import { Value } from 'typebox/value';
import { inTransaction } from '../db/transact.ts';
import type { Db } from '../db/types.ts';
import '../db/platform-tables.ts';
import type { DomainEvents, EventCatalogue, EventName, EventSpec } from './catalogue.ts';
import { Poller } from './poller.ts';

interface StoredEvent<T extends string, P> {
  id: number;
  type: T;
  aggregateType: string;
  aggregateId: string;
  payload: P;
  createdAt: Date;
  attempts: number;
}

/** An event as a handler gets it; for a handler of several names, `type` tells the payload apart. */
export type DomainEvent<K extends EventName = EventName> = { [T in K]: StoredEvent<T, DomainEvents[T]> }[K];

export type NewEvent<K extends EventName = EventName> = {
  [T in K]: { type: T; aggregateType: string; aggregateId: string | number; payload: DomainEvents[T] };
}[K];

export interface EventHandler<K extends EventName = EventName> {
  /** Stable name: it keys the processed_events record, so renaming it replays history. */
  name: string;
  events: readonly K[];
  /**
   * Runs inside the transaction that records the event as processed: use `db` for every query.
   * It only writes to the database; network work (webhooks, pushes, the cache) goes in a job it
   * schedules there (jobs.ts), so a slow or failing peer never holds or fails the delivery.
   */
  handle(event: DomainEvent<K>, db: Db): Promise<void>;
}

/** What the dispatcher holds: the same handler, its payload type erased. */
interface AnyHandler {
  name: string;
  events: readonly string[];
  handle(event: StoredEvent<string, unknown>, db: Db): Promise<void>;
}

export interface EventBusOptions {
  nodeId: string;
  pollMs?: number;
  batchSize?: number;
  leaseMs?: number;
  maxAttempts?: number;
  /** Check each payload against its declaration at emit (everywhere but production). */
  checkPayloads?: boolean;
}

export class EventBus {
  private readonly handlers: AnyHandler[] = [];
  private readonly declared = new Map<string, EventSpec & { module: string }>();
  private readonly poller: Poller;
  private readonly opts: Required<EventBusOptions>;
  /** Observers for metrics and tests. */
  onDelivered?: (event: { id: number; type: string }, handler: string) => void;
  onFailed?: (event: { id: number; type: string }, handler: string, err: unknown) => void;

  constructor(
    private readonly db: Db,
    private readonly log: Logger,
    opts: EventBusOptions,
  ) {
    this.opts = { pollMs: 250, batchSize: 50, leaseMs: 30_000, maxAttempts: 25, checkPayloads: false, ...opts };
    this.poller = new Poller('outbox', this.opts.pollMs, () => this.dispatchOnce().then((n) => n > 0), log);
  }

  /** A module's events (modules/X/events.ts); app.ts declares every module's before any init. */
  declare(module: string, catalogue: EventCatalogue): void {
    for (const [type, spec] of Object.entries(catalogue)) {
      const other = this.declared.get(type);
      if (other) throw new Error(`Event ${type} is declared by both ${other.module} and ${module}`);
      this.declared.set(type, { ...spec, module });
    }
  }

  /** Every declared event: name, declaring module, meaning and payload schema (docs/events.md). */
  catalogue(): ReadonlyMap<string, EventSpec & { module: string }> {
    return this.declared;
  }

  /** Refuses (so startup fails) a duplicate handler name or an event no module declares. */
  subscribe<const K extends EventName>(handler: EventHandler<K>): void {
    if (this.handlers.some((h) => h.name === handler.name)) throw new Error(`Duplicate event handler ${handler.name}`);
    const unknown = handler.events.filter((t) => !this.declared.has(t));
    if (unknown.length) {
      throw new Error(`Event handler ${handler.name} subscribes to undeclared event(s) ${unknown.join(', ')}`);
    }
    this.handlers.push(handler as unknown as AnyHandler);
  }

  /** Write an event in the caller's transaction. Pass the transaction, never the outer db. */
  async emit<const K extends EventName>(trx: Db, event: NewEvent<K>): Promise<number> {
    const json = JSON.stringify(event.payload);
    this.check(event.type, json);
    const row = await trx
      .insertInto('outbox_events')
      .values({
        type: event.type,
        aggregate_type: event.aggregateType,
        aggregate_id: String(event.aggregateId),
        payload: json,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    // The dispatcher looks soon; if the transaction has not committed yet the next poll finds it.
    setTimeout(() => this.poller.wake(), 5).unref?.();
    return row.id;
  }

  /** The payload as stored (JSON), against its declaration. */
  private check(type: string, json: string): void {
    const spec = this.declared.get(type);
    if (!spec) throw new Error(`Event ${type} is not declared (add it to the emitting module's events.ts)`);
    if (!this.opts.checkPayloads) return;
    const payload: unknown = JSON.parse(json);
    if (Value.Check(spec.payload, payload)) return;
    const problems = [...Value.Errors(spec.payload, payload)]
      .slice(0, 5)
      .map((e) => `${e.instancePath || '/'} ${e.message}`);
    throw new Error(`Event ${type}: the payload does not match its declaration: ${problems.join('; ')}`);
  }

  start(): void {
    this.poller.start();
  }
  stop(): Promise<void> {
    return this.poller.stop();
  }
  wake(): void {
    this.poller.wake();
  }

  /** Claim and deliver one batch; returns how many events were claimed. */
  async dispatchOnce(): Promise<number> {
    const { rows } = await sql<{
      id: number;
      type: string;
      aggregate_type: string;
      aggregate_id: string;
      payload: unknown;
      created_at: Date;
      attempts: number;
    }>`
      update outbox_events
         set locked_by = ${this.opts.nodeId},
             locked_until = now() + ${`${this.opts.leaseMs} milliseconds`}::interval
       where id in (
         select id from outbox_events
          where dispatched_at is null and dead_at is null and available_at <= now()
            and (locked_until is null or locked_until < now())
          order by id
          limit ${this.opts.batchSize}
          for update skip locked)
      returning id, type, aggregate_type, aggregate_id, payload, created_at, attempts`.execute(this.db);
    rows.sort((a, b) => a.id - b.id);
    const events = rows.map((r) => ({
      id: r.id,
      type: r.type,
      aggregateType: r.aggregate_type,
      aggregateId: r.aggregate_id,
      payload: typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload,
      createdAt: r.created_at,
      attempts: r.attempts,
    }));
    await this.deliver(events);
    return rows.length;
  }

  /**
   * Each handler takes the batch's events it subscribes to, in id order, in one transaction (a burst of
   * orders costs each handler one transaction, not one per order). If that fails, it takes them again one
   * per transaction, so one bad event holds back only itself. An event is marked dispatched once every
   * handler has it; a failed one is left for redelivery with backoff.
   */
  private async deliver(events: Array<StoredEvent<string, unknown>>): Promise<void> {
    const failures = new Map<number, string[]>();
    for (const handler of this.handlers) {
      const mine = events.filter((e) => handler.events.includes(e.type));
      if (mine.length === 0) continue;
      if (mine.length > 1) {
        try {
          await this.runHandler(handler, mine);
          for (const e of mine) this.onDelivered?.(e, handler.name);
          continue;
        } catch {
          // One of them failed (or the batch deadlocked): find which, one event at a time.
        }
      }
      for (const event of mine) {
        try {
          await this.runHandler(handler, [event]);
          this.onDelivered?.(event, handler.name);
        } catch (err) {
          const list = failures.get(event.id) ?? [];
          list.push(`${handler.name}: ${err instanceof Error ? err.message : String(err)}`);
          failures.set(event.id, list);
          this.log.warn(
            { err, eventId: event.id, type: event.type, handler: handler.name },
            'event handler failed; will retry',
          );
          this.onFailed?.(event, handler.name, err);
        }
      }
    }
    const done = events.filter((e) => !failures.has(e.id)).map((e) => e.id);
    if (done.length) {
      await this.db
        .updateTable('outbox_events')
        .set({ dispatched_at: sql<Date>`now()`, locked_by: null, locked_until: null })
        .where('id', 'in', done)
        .execute();
    }
    for (const event of events) {
      const failed = failures.get(event.id);
      if (failed) await this.retryLater(event, failed);
    }
  }

  private async retryLater(event: StoredEvent<string, unknown>, failures: string[]): Promise<void> {
    const attempts = event.attempts + 1;
    const backoffMs = Math.min(60_000, 200 * 2 ** Math.min(attempts, 12));
    const dead = attempts >= this.opts.maxAttempts;
    if (dead) this.log.error({ eventId: event.id, type: event.type, failures }, 'event moved to dead letters');
    await this.db
      .updateTable('outbox_events')
      .set({
        attempts,
        last_error: failures.join('; ').slice(0, 2000),
        available_at: sql<Date>`now() + ${`${backoffMs} milliseconds`}::interval`,
        locked_by: null,
        locked_until: null,
        ...(dead ? { dead_at: sql<Date>`now()` } : {}),
      })
      .where('id', '=', event.id)
      .execute();
  }

  /** The events this handler has not processed yet, processed and recorded in one transaction. */
  private async runHandler(handler: AnyHandler, events: Array<StoredEvent<string, unknown>>): Promise<void> {
    await inTransaction(this.db, async (trx) => {
      const claimed = await trx
        .insertInto('processed_events')
        .values(events.map((e) => ({ handler: handler.name, event_id: e.id })))
        .onConflict((oc) => oc.doNothing())
        .returning('event_id')
        .execute();
      const fresh = new Set(claimed.map((c) => Number(c.event_id)));
      // Those already recorded were processed by an earlier delivery.
      for (const event of events) if (fresh.has(event.id)) await handler.handle(event, trx);
    });
  }
}

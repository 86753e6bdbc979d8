// Outbox and delayed jobs against real databases, including "crashes" (a handler failing after
// part of the work, a node closed mid-flight) and restarts on the same data.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { createPostgresDatabase, DB_BACKENDS } from '../../../test/backends.ts';
import { createApp, type App } from '../../app.ts';
import { testConfig } from '../config.ts';
import type { Module } from '../context.ts';
import type { Db } from '../db/types.ts';
import { Type } from 'typebox';
import { defineEvents, Payload, type PayloadsOf } from './catalogue.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(cond: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await cond()) return;
    await sleep(50);
  }
  throw new Error('condition not met in time');
}

/** A persistent database location that survives "restarts" of the node. */
async function persistentDb(kind: 'pglite' | 'postgres') {
  if (kind === 'postgres') {
    const created = await createPostgresDatabase();
    return { open: { databaseUrl: created.url }, pgliteDir: 'memory://', drop: created.drop };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lm-outbox-'));
  return {
    open: {},
    pgliteDir: path.join(dir, 'pglite'),
    drop: async () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

// A test module: its own event, a table of side effects, and handlers that can be told to fail.
const TEST_EVENTS = defineEvents({
  'thing.happened': { doc: 'Only in the outbox tests.', payload: Payload({ n: Type.Optional(Type.Integer()) }) },
});
declare module './catalogue.ts' {
  interface DomainEvents extends PayloadsOf<typeof TEST_EVENTS> {}
}
const behaviour = { failB: 0, poisonB: null as number | null, jobRuns: 0, jobFailuresLeft: 0 };
const testModule: Module = {
  name: 'outbox-test',
  events: TEST_EVENTS,
  migrationsDir: (() => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lm-outbox-mig-'));
    fs.writeFileSync(
      path.join(dir, '9000_outbox_test.sql'),
      `
      create table test_effects (id bigint generated always as identity primary key, handler text not null, event_id bigint not null);
      create table test_job_effects (id bigint generated always as identity primary key, job_id bigint not null, note text);
      create table test_ticks (slot text primary key, node text not null);`,
    );
    return dir;
  })(),
  init(ctx) {
    const effect = (handler: string) => async (e: { id: number }, db: Db) => {
      await sql`insert into test_effects (handler, event_id) values (${handler}, ${e.id})`.execute(db);
    };
    ctx.events.subscribe({ name: 'test.a', events: ['thing.happened'], handle: effect('a') });
    ctx.events.subscribe({
      name: 'test.b',
      events: ['thing.happened'],
      handle: async (e, db) => {
        await effect('b')(e, db);
        if (behaviour.poisonB !== null && e.payload.n === behaviour.poisonB) throw new Error('poison event for b');
        // Fail after writing: the write must roll back with the failure.
        if (behaviour.failB > 0) {
          behaviour.failB--;
          throw new Error('simulated crash in handler b');
        }
      },
    });
    ctx.jobs.recurring({
      type: 'test.tick',
      everyMs: 400,
      // The primary key makes a second run of the same slot fail loudly: exactly once per slot.
      run: async (job, db) =>
        void (await sql`insert into test_ticks (slot, node) values (${String(job.runAt.getTime())}, ${ctx.config.nodeId})`.execute(
          db,
        )),
    });
    ctx.jobs.register({
      type: 'test.job',
      run: async (job, db) => {
        behaviour.jobRuns++;
        await sql`insert into test_job_effects (job_id, note) values (${job.id}, ${String(job.payload.note)})`.execute(
          db,
        );
        if (behaviour.jobFailuresLeft > 0) {
          behaviour.jobFailuresLeft--;
          throw new Error('transient');
        }
      },
    });
  },
};

const apps: App[] = [];
afterAll(async () => {
  for (const a of apps) await a.close().catch(() => undefined);
});

async function node(loc: Awaited<ReturnType<typeof persistentDb>>, workers = true, nodeId = 'n1'): Promise<App> {
  const app = await createApp(testConfig({ ...loc.open, workers, dataDir: os.tmpdir(), nodeId }), {
    pgliteDir: loc.pgliteDir,
    modules: [testModule],
  });
  apps.push(app);
  if (workers) {
    app.ctx.events.start();
    app.ctx.jobs.start();
  }
  return app;
}

const effects = async (db: Db) =>
  (await sql<{ handler: string; event_id: number }>`select handler, event_id from test_effects order by id`.execute(db))
    .rows;

describe.each(DB_BACKENDS)('outbox and jobs on $name', (backend) => {
  it('writes an event only if the transaction commits', async () => {
    const loc = await persistentDb(backend.name);
    const app = await node(loc, false);
    await expect(
      app.ctx.db.transaction().execute(async (trx) => {
        await app.ctx.events.emit(trx, { type: 'thing.happened', aggregateType: 't', aggregateId: 1, payload: {} });
        throw new Error('business rule failed');
      }),
    ).rejects.toThrow('business rule failed');
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from outbox_events`.execute(app.ctx.db);
    expect(rows[0]!.n).toBe(0);
    await app.close();
    await loc.drop();
  });

  it('redelivers after a handler crash and a restart, without duplicating effects', async () => {
    const loc = await persistentDb(backend.name);
    behaviour.failB = 1;
    const first = await node(loc, false);
    const eventId = await first.ctx.db
      .transaction()
      .execute((trx) =>
        first.ctx.events.emit(trx, { type: 'thing.happened', aggregateType: 't', aggregateId: 7, payload: { n: 7 } }),
      );
    await first.ctx.events.dispatchOnce();
    // a succeeded and is recorded; b failed and its write rolled back; the event is still pending.
    expect(await effects(first.ctx.db)).toEqual([{ handler: 'a', event_id: eventId }]);
    const pending = await first.ctx.db
      .selectFrom('outbox_events')
      .selectAll()
      .where('id', '=', eventId)
      .executeTakeFirstOrThrow();
    expect(pending.dispatched_at).toBeNull();
    expect(pending.attempts).toBe(1);
    expect(pending.last_error).toContain('simulated crash');
    await first.close();

    // "Restart": a new node on the same data. Make the event due now instead of waiting the backoff.
    const second = await node(loc, true);
    await sql`update outbox_events set available_at = now()`.execute(second.ctx.db);
    second.ctx.events.wake();
    await until(
      async () =>
        !!(
          await second.ctx.db
            .selectFrom('outbox_events')
            .select('dispatched_at')
            .where('id', '=', eventId)
            .executeTakeFirst()
        )?.dispatched_at,
    );
    const rows = await effects(second.ctx.db);
    expect(rows.filter((r) => r.handler === 'a')).toHaveLength(1);
    expect(rows.filter((r) => r.handler === 'b')).toHaveLength(1);

    // Even a forced redelivery of an already-dispatched event changes nothing.
    await sql`update outbox_events set dispatched_at = null, locked_until = null where id = ${eventId}`.execute(
      second.ctx.db,
    );
    await second.ctx.events.stop();
    await second.ctx.events.dispatchOnce();
    expect(await effects(second.ctx.db)).toHaveLength(2);
    await second.close();
    await loc.drop();
  });

  it('delivers a batch to each handler in one go, and one bad event holds back only itself', async () => {
    const loc = await persistentDb(backend.name);
    const app = await node(loc, false);
    behaviour.poisonB = 3;
    const ids: number[] = [];
    for (let n = 1; n <= 6; n++) {
      ids.push(
        await app.ctx.db
          .transaction()
          .execute((trx) =>
            app.ctx.events.emit(trx, { type: 'thing.happened', aggregateType: 't', aggregateId: n, payload: { n } }),
          ),
      );
    }
    expect(await app.ctx.events.dispatchOnce()).toBe(6);
    const rows = await effects(app.ctx.db);
    // a took all six, in order; b's batch failed on the third and was redone one by one, without it.
    expect(rows.filter((r) => r.handler === 'a').map((r) => r.event_id)).toEqual(ids);
    expect(rows.filter((r) => r.handler === 'b').map((r) => r.event_id)).toEqual(ids.filter((_, i) => i !== 2));
    const state = await app.ctx.db
      .selectFrom('outbox_events')
      .select(['id', 'dispatched_at', 'attempts', 'last_error'])
      .orderBy('id')
      .execute();
    expect(state.filter((e) => e.dispatched_at === null).map((e) => e.id)).toEqual([ids[2]]);
    expect(state.find((e) => e.id === ids[2])).toMatchObject({
      attempts: 1,
      last_error: expect.stringContaining('poison'),
    });

    // Once b can take it, the redelivery gives b the third and nobody anything twice.
    behaviour.poisonB = null;
    await sql`update outbox_events set available_at = now()`.execute(app.ctx.db);
    expect(await app.ctx.events.dispatchOnce()).toBe(1);
    const after = await effects(app.ctx.db);
    expect(after.filter((r) => r.handler === 'a')).toHaveLength(6);
    expect(
      after
        .filter((r) => r.handler === 'b')
        .map((r) => r.event_id)
        .sort((x, y) => x - y),
    ).toEqual(ids);
    await app.close();
    await loc.drop();
  });

  it('runs a delayed job after a restart, retries failures, and honours unique keys and cancel', async () => {
    const loc = await persistentDb(backend.name);
    const first = await node(loc, false);
    const id = await first.ctx.jobs.schedule(first.ctx.db, {
      type: 'test.job',
      payload: { note: 'later' },
      delayMs: 600,
      uniqueKey: 'job-1',
    });
    expect(id).toBeTypeOf('number');
    expect(
      await first.ctx.jobs.schedule(first.ctx.db, { type: 'test.job', payload: { note: 'dup' }, uniqueKey: 'job-1' }),
    ).toBeNull();
    await first.ctx.jobs.schedule(first.ctx.db, {
      type: 'test.job',
      payload: { note: 'cancelled' },
      delayMs: 500,
      uniqueKey: 'job-2',
    });
    expect(await first.ctx.jobs.cancel(first.ctx.db, 'job-2')).toBe(true);
    // The node goes away before the job is due.
    expect(await first.ctx.jobs.runDue()).toBe(0);
    await first.close();

    behaviour.jobFailuresLeft = 1;
    const second = await node(loc, true);
    await until(
      async () =>
        (await second.ctx.db.selectFrom('jobs').select('attempts').where('id', '=', id!).executeTakeFirstOrThrow())
          .attempts >= 1,
    );
    // First attempt failed (transient): its effect rolled back, it is pending again with backoff.
    await sql`update jobs set run_at = now() where id = ${id}`.execute(second.ctx.db);
    second.ctx.jobs.wake();
    await until(
      async () =>
        (await second.ctx.db.selectFrom('jobs').select('status').where('id', '=', id!).executeTakeFirstOrThrow())
          .status === 'done',
    );
    const { rows } = await sql<{ note: string }>`select note from test_job_effects`.execute(second.ctx.db);
    expect(rows.map((r) => r.note)).toEqual(['later']);
    const cancelled = await second.ctx.db
      .selectFrom('jobs')
      .select('status')
      .where('unique_key', '=', 'job-2')
      .executeTakeFirstOrThrow();
    expect(cancelled.status).toBe('cancelled');
    await second.close();
    await loc.drop();
  });

  it('runs a recurring job once per slot, even with two nodes polling', async () => {
    const loc = await persistentDb(backend.name);
    const a = await node(loc, true, 'node-a');
    const b = backend.name === 'postgres' ? await node(loc, true, 'node-b') : undefined;
    await until(
      async () =>
        (await sql<{ n: number }>`select count(*)::int as n from test_ticks`.execute(a.ctx.db)).rows[0]!.n >= 4,
      15_000,
    );
    await a.close();
    await b?.close();
    const check = await node(loc, false);
    const failed = await check.ctx.db
      .selectFrom('jobs')
      .select(['id', 'last_error'])
      .where('type', '=', 'test.tick')
      .where('last_error', 'is not', null)
      .execute();
    expect(failed).toEqual([]);
    const nodes = (await sql<{ node: string }>`select distinct node from test_ticks`.execute(check.ctx.db)).rows.map(
      (r) => r.node,
    );
    expect(nodes.length).toBeGreaterThanOrEqual(1);
    await check.close();
    await loc.drop();
  });

  it('lets an operator list dead events and retry them', async () => {
    const loc = await persistentDb(backend.name);
    const app = await node(loc, false);
    const id = await app.ctx.db
      .transaction()
      .execute((trx) =>
        app.ctx.events.emit(trx, { type: 'thing.happened', aggregateType: 't', aggregateId: 9, payload: {} }),
      );
    await sql`update outbox_events set dead_at = now(), attempts = 25, last_error = 'gave up' where id = ${id}`.execute(
      app.ctx.db,
    );
    await app.close();
    const { startNode } = await import('../../../test/harness.ts');
    const live = await startNode({
      ...(backend.name === 'postgres' ? { databaseUrl: loc.open.databaseUrl } : { pgliteDir: loc.pgliteDir }),
      modules: [testModule, ...(await import('../../modules/index.ts')).modules],
    });
    try {
      const admin = await live.userToken('13700000001', { admin: true });
      const dead = await live.api('GET', '/api/platform/outbox?state=dead', { token: admin.token });
      expect(dead.status).toBe(200);
      expect(dead.body.items.map((e: { id: number }) => e.id)).toEqual([id]);
      expect(dead.body.items[0].lastError).toBe('gave up');
      const customer = await live.userToken('13700000002');
      expect((await live.api('GET', '/api/platform/outbox', { token: customer.token })).status).toBe(403);
      expect((await live.api('POST', `/api/platform/outbox/${id}/retry`, { token: admin.token })).status).toBe(200);
      await until(
        async () =>
          !!(
            await live.app.ctx.db
              .selectFrom('outbox_events')
              .select('dispatched_at')
              .where('id', '=', id)
              .executeTakeFirst()
          )?.dispatched_at,
      );
      expect((await effects(live.app.ctx.db)).filter((e) => e.event_id === id)).toHaveLength(2);
    } finally {
      await live.close();
      await loc.drop();
    }
  });
});

// The domain event map holds by itself: a node refuses to start with a handler for an event no
// module declares (a typo would otherwise wait forever for an event that never comes) or with an
// event declared twice; outside production a payload that does not match its declaration is
// refused at emit, inside the caller's transaction; and emit/subscribe do not compile with an
// unknown name or a wrong payload. No handler calls the network itself: that is a job's work.
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { Type } from 'typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../src/app.ts';
import { testConfig } from '../src/platform/config.ts';
import type { AppContext, Module } from '../src/platform/context.ts';
import { defineEvents, Id, Payload } from '../src/platform/events/catalogue.ts';
import { modules } from '../src/modules/index.ts';

const PROBE_EVENTS = defineEvents({
  'probe.counted': { doc: 'Only in this test.', payload: Payload({ probeId: Id(), label: Type.String() }) },
});
const start = (mods: Module[]) => createApp(testConfig({ workers: false }), { pgliteDir: 'memory://', modules: mods });

describe('the domain event catalogue', () => {
  it('refuses to start when a handler subscribes to an event no module declares', async () => {
    const typo: Module = {
      name: 'typo',
      init(ctx) {
        ctx.events.subscribe({ name: 'typo.on_paid', events: ['order.payed' as 'order.paid'], handle: async () => {} });
      },
    };
    await expect(start([typo])).rejects.toThrow(
      'Event handler typo.on_paid subscribes to undeclared event(s) order.payed',
    );
  });

  it('refuses to start when two modules declare the same event', async () => {
    const twice: Module = { name: 'twice', events: PROBE_EVENTS };
    await expect(start([{ name: 'probe', events: PROBE_EVENTS }, twice])).rejects.toThrow(
      'Event probe.counted is declared by both probe and twice',
    );
  });

  it('starts with every module of the product, each subscription matched by a declaration', async () => {
    const app = await start(modules);
    try {
      const declared = app.ctx.events.catalogue();
      expect(declared.size).toBeGreaterThan(20);
      expect(declared.get('order.paid')?.module).toBe('orders');
      expect(declared.get('merchant.followed')?.module).toBe('social');
    } finally {
      await app.close();
    }
  });

  describe('at emit, outside production', () => {
    let app: App;
    beforeAll(async () => {
      app = await start([{ name: 'probe', events: PROBE_EVENTS }]);
    });
    afterAll(async () => {
      await app?.close();
    });
    // The probe's event is not in the compiled map, so the test goes around the types on purpose.
    const emit = (type: string, payload: unknown) =>
      app.ctx.db
        .transaction()
        .execute((trx) => app.ctx.events.emit(trx, { type, aggregateType: 'probe', aggregateId: 1, payload } as never));
    const stored = async () => (await app.ctx.db.selectFrom('outbox_events').select('type').execute()).length;

    it('writes a payload that matches its declaration', async () => {
      await emit('probe.counted', { probeId: 1, label: 'one' });
      expect(await stored()).toBe(1);
    });

    it('refuses a wrong field, a missing field or an extra field, and writes nothing', async () => {
      await expect(emit('probe.counted', { probeId: '1', label: 'x' })).rejects.toThrow(/\/probeId must be integer/);
      await expect(emit('probe.counted', { probeId: 2 })).rejects.toThrow(/must have required properties label/);
      await expect(emit('probe.counted', { probeId: 2, label: 'x', extra: true })).rejects.toThrow(
        /additional properties/,
      );
      expect(await stored()).toBe(1);
    });

    it('refuses an event no module declares', async () => {
      await expect(emit('probe.uncounted', {})).rejects.toThrow('Event probe.uncounted is not declared');
    });
  });
});

/** The text of every outbox handler's `handle` in production code, with where it is. */
function handlerBodies(): Array<{ where: string; body: string }> {
  const src = path.resolve(import.meta.dirname, '../src');
  const files = (fs.readdirSync(src, { recursive: true }) as string[]).filter(
    (f) => f.endsWith('.ts') && !f.endsWith('.test.ts'),
  );
  const found: Array<{ where: string; body: string }> = [];
  for (const f of files) {
    const text = fs.readFileSync(path.join(src, f), 'utf8');
    if (!text.includes('.subscribe(')) continue;
    const file = ts.createSourceFile(f, text, ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node): void => {
      const arg = ts.isCallExpression(node) ? node.arguments[0] : undefined;
      if (
        ts.isCallExpression(node) &&
        ts.isPropertyAccessExpression(node.expression) &&
        node.expression.name.text === 'subscribe' &&
        arg &&
        ts.isObjectLiteralExpression(arg)
      ) {
        const handle = arg.properties.find((p) => p.name && ts.isIdentifier(p.name) && p.name.text === 'handle');
        if (handle) {
          const line = file.getLineAndCharacterOfPosition(handle.getStart()).line + 1;
          found.push({ where: `${f}:${line}`, body: handle.getText() });
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
  }
  return found;
}

describe('outbox handlers', () => {
  it('leave network work (pub/sub, the cache, webhooks, providers) to the jobs they schedule', () => {
    const bodies = handlerBodies();
    expect(bodies.length).toBeGreaterThan(20);
    const network = /\brealtime\b|publishTo|\.cache\b|deliverWebhook|postTo|\bfetch\(|provider/;
    expect(bodies.filter((h) => network.test(h.body)).map((h) => h.where)).toEqual([]);
  });
});

// Compile-time half (tsc -p server): never called, only type-checked (exported so it is not unused).
// biome-ignore lint/suspicious/noExportsInTest: nothing imports it; the export keeps tsc's unused check quiet
export function typedEmitAndSubscribe(ctx: AppContext): void {
  const trx = ctx.db;
  void ctx.events.emit(trx, {
    type: 'merchant.followed',
    aggregateType: 'merchant',
    aggregateId: 1,
    payload: { merchantId: 1, userId: 2 },
  });
  // @ts-expect-error an event nobody declares
  void ctx.events.emit(trx, { type: 'merchant.unfollowed', aggregateType: 'merchant', aggregateId: 1, payload: {} });
  void ctx.events.emit(trx, {
    type: 'merchant.followed',
    aggregateType: 'merchant',
    aggregateId: 1,
    // @ts-expect-error a payload field of the wrong type
    payload: { merchantId: '1', userId: 2 },
  });
  // @ts-expect-error a subscription to an event nobody declares
  ctx.events.subscribe({ name: 'x', events: ['order.payed'], handle: async () => {} });
  ctx.events.subscribe({
    name: 'y',
    events: ['order.placed', 'order.paid'],
    handle: async (e) => {
      // A handler of two events tells their payloads apart by the event's type.
      if (e.type === 'order.paid') void e.payload.paidAt.length;
      // @ts-expect-error order.placed carries no paidAt
      else void e.payload.paidAt;
    },
  });
}

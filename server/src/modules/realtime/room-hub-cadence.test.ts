// The hub's delivery cadence, on fake timers and stand-in sockets: in a big room, chat alone goes out at
// most every BIG_ROOM_CHAT_MS (each delivery is a socket write per viewer), while a frame that matters
// (a pin, a coupon drop…) still goes out within BATCH_MS of arriving, with the chat that waited before it.
// A small room keeps the BATCH_MS cadence for everything. Every frame is delivered once, in order.
import fc from 'fast-check';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Cache } from '../../platform/cache/cache.ts';
import { BATCH_MS, type Conn } from './connection.ts';
import type { FrameKind } from './protocol.ts';
import { BIG_ROOM_CHAT_MS, RoomHub } from './room-hub.ts';

const ROOM = 7;
const BIG = 3; // viewers from which the test's hub treats a room as big

interface Delivery {
  at: number;
  ns: number[];
}

/** A viewer's socket as the hub sees it: records each delivery and when it came. */
function standInConn(id: number, deliveries: Delivery[]): Conn {
  return {
    id,
    user: null,
    mayReceive: () => true,
    sendRoomBatch: (full: Buffer) => {
      const frames = JSON.parse(full.toString()) as Array<{ data: { n?: number } }>;
      deliveries.push({ at: Date.now(), ns: frames.flatMap((f) => (f.data.n === undefined ? [] : [f.data.n])) });
    },
    sendPrivate: () => undefined,
  } as unknown as Conn;
}

const noCache = { subscribe: async () => async () => undefined } as unknown as Cache;

async function roomOf(viewers: number) {
  const hub = new RoomHub(noCache, pino({ level: 'silent' }), 0, BIG);
  const perViewer: Delivery[][] = [];
  for (let i = 0; i < viewers; i++) {
    perViewer.push([]);
    await hub.add(standInConn(i, perViewer[i]!), ROOM);
  }
  const send = (n: number, kind: FrameKind) =>
    hub.deliverLocal(ROOM, { type: kind === 'chat' ? 'chat' : 'product.pinned', data: { n } as never, kind });
  return { hub, deliveries: perViewer[0]!, perViewer, send };
}

// Arrivals: a gap in ms, then a chat message or a frame that matters.
const arrivals = fc.array(fc.record({ gap: fc.integer({ min: 0, max: 400 }), chat: fc.boolean() }), {
  minLength: 1,
  maxLength: 60,
});

describe('room hub cadence', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  for (const viewers of [BIG, BIG - 1]) {
    const big = viewers >= BIG;
    it(`${big ? 'a big' : 'a small'} room: frames that matter within BATCH_MS, chat at its cadence, all once in order`, async () => {
      await fc.assert(
        fc.asyncProperty(arrivals, async (plan) => {
          const { hub, deliveries, perViewer, send } = await roomOf(viewers);
          const arrivedAt = new Map<number, number>();
          const matters = new Set<number>();
          for (const [n, a] of plan.entries()) {
            vi.advanceTimersByTime(a.gap);
            arrivedAt.set(n, Date.now());
            if (!a.chat) matters.add(n);
            send(n, a.chat ? 'chat' : 'commerce');
          }
          vi.advanceTimersByTime(2 * BIG_ROOM_CHAT_MS);
          await hub.close();

          // Once each, in order, and the same to every viewer.
          expect(deliveries.flatMap((d) => d.ns)).toEqual(plan.map((_, n) => n));
          for (const other of perViewer) expect(other).toEqual(deliveries);
          for (const [i, d] of deliveries.entries()) {
            const waited = Math.max(...d.ns.map((n) => d.at - arrivedAt.get(n)!));
            const urgent = d.ns.some((n) => matters.has(n));
            // A frame that matters, and in a small room anything, waits at most BATCH_MS.
            for (const n of d.ns.filter((x) => matters.has(x) || !big))
              expect(d.at - arrivedAt.get(n)!).toBeLessThanOrEqual(BATCH_MS);
            // Chat alone in a big room: not sooner than BIG_ROOM_CHAT_MS after the previous delivery.
            if (big && !urgent && i > 0) expect(d.at - deliveries[i - 1]!.at).toBeGreaterThanOrEqual(BIG_ROOM_CHAT_MS);
            // Nothing waits longer than the chat cadence.
            expect(waited).toBeLessThanOrEqual(big ? BIG_ROOM_CHAT_MS : BATCH_MS);
          }
        }),
        { numRuns: 300 },
      );
    });
  }
});

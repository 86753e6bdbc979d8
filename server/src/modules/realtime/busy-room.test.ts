// A busy room through real sockets: past the display budget a viewer gets a sample of the chat and a
// count of the rest, while every frame that matters reaches everyone in order and a sender sees all of
// their own messages. Then the sampler alone, by properties: never over budget, nothing lost from the count.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_BACKENDS } from '../../../test/backends.ts';
import { makeShop } from '../../../test/commerce-fixtures.ts';
import { startNode, type TestNode } from '../../../test/harness.ts';
import { ChatSampler, FOLD_REPORT_MS } from './chat-sampler.ts';
import { probeFrame, Viewer } from './test-support.ts';

const BUDGET = 10; // chat messages a second per viewer
const CHATS = 200;
const PINS = 20;

describe.each(APP_BACKENDS)('a busy room on $name', (backend) => {
  let node: TestNode;
  let roomId: number;
  beforeAll(async () => {
    node = await startNode({ db: backend.db, cache: backend.cache, config: { chatDisplayPerSec: BUDGET } });
    const shop = await makeShop(node, '热闹直播间', '13844440071');
    const base = `/api/merchants/${shop.merchantId}/rooms`;
    roomId = (await node.api('POST', base, { token: shop.owner.token, body: { title: 'busy' } })).body.id;
  }, 60_000);
  afterAll(async () => {
    await node?.close();
  });

  it('samples chat to the budget, counts the rest, and never drops a pin or a sender’s own message', async () => {
    const rt = node.app.ctx.services.realtime;
    const sender = await node.userToken('13800000171');
    const viewers = await Promise.all([0, 1, 2].map(() => Viewer.connect(node)));
    const own = await Viewer.connect(node, { token: sender.token });
    for (const v of [...viewers, own]) await v.join(roomId);

    const started = Date.now();
    for (let n = 0; n < CHATS; n++) {
      // One message in four is the signed-in sender's; the rest come from other viewers.
      const userId = n % 4 === 0 ? sender.userId : 900_000 + n;
      await rt.publishToRoom(roomId, probeFrame('chat', { n, userId, nickname: 'v', text: `m${n}` }), { kind: 'chat' });
      if (n % (CHATS / PINS) === 0) await rt.publishToRoom(roomId, probeFrame('product.pinned', { n: n / 10 }));
      if (n % 20 === 19) await new Promise((r) => setTimeout(r, 50)); // ≈ 400 messages a second
    }
    const last = viewers[0]!;
    await last.next('product.pinned', (f) => f.data.n === PINS - 1);
    const folded = (v: Viewer) => v.all('chat.folded').reduce((sum, f) => sum + f.data.count, 0);
    // Every viewer: all pins in order; chats shown + chats folded = chats sent (the last count comes ≤ 1 s later).
    for (const v of viewers) {
      await v.waitFor(() => v.all('chat').length + folded(v) === CHATS, 5000);
      expect(v.all('product.pinned').map((f) => f.data.n)).toEqual([...Array(PINS).keys()]);
      const shown = v.all('chat').map((f) => f.data.n as number);
      expect(shown).toEqual([...shown].sort((a, b) => a - b)); // in order
      const seconds = (Date.now() - started) / 1000;
      expect(shown.length).toBeLessThanOrEqual(Math.ceil(BUDGET * (1 + seconds)));
      expect(shown.length).toBeLessThan(CHATS);
    }
    // The sender saw every message they sent, sampled or not.
    const mine = [...Array(CHATS).keys()].filter((n) => n % 4 === 0);
    await own.waitFor(() => mine.every((n) => own.all('chat').some((f) => f.data.n === n)), 5000);
    for (const v of [...viewers, own]) v.close();
  }, 60_000);
});

describe('the chat sampler', () => {
  const arrivals = fc.array(fc.integer({ min: 0, max: 400 }), { minLength: 1, maxLength: 400 });

  it('admits at most a second’s budget plus the rate over any stretch, and counts every message it folds', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 50 }), arrivals, (perSec, gaps) => {
        const sampler = new ChatSampler(perSec, 0);
        let now = 0;
        const admittedAt: number[] = [];
        let reported = 0;
        for (const gap of gaps) {
          now += gap;
          if (sampler.admit(now)) admittedAt.push(now);
          reported += sampler.takeFoldReport(now);
        }
        reported += sampler.takeFoldReport(now + FOLD_REPORT_MS);
        expect(admittedAt.length + reported).toBe(gaps.length);
        for (const [i, from] of admittedAt.entries()) {
          const within = admittedAt.slice(i).filter((t) => t - from <= 1000).length;
          expect(within).toBeLessThanOrEqual(2 * perSec + 1);
        }
      }),
    );
  });

  it('admits everything when sampling is off', () => {
    const sampler = new ChatSampler(0, 0);
    for (let i = 0; i < 1000; i++) expect(sampler.admit(0)).toBe(true);
    expect(sampler.takeFoldReport(10_000)).toBe(0);
  });
});

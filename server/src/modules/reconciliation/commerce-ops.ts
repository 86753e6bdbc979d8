// The commerce flow as random operations for the property suite: what a shopper, the provider and
// the shop can do, each through the real HTTP API (or, for time passing, by making the job due).
// Every answer must be a success or a clear 4xx; a 5xx fails the run at once.
import crypto from 'node:crypto';
import fc from 'fast-check';
import type { TestNode } from '../../../test/harness.ts';
import type { SandboxProvider } from '../payments/providers/sandbox.ts';

export type Op =
  | {
      kind: 'place';
      lines: Array<{ p: number; q: number }>;
      coupons: 'auto' | 'none';
      points: boolean;
      flash: boolean;
      quote: boolean;
      dup: number;
    }
  | { kind: 'pay'; pick: number; dup: number; outcome: 'succeeded' | 'failed'; redeliver: boolean }
  | { kind: 'cancel'; pick: number }
  | { kind: 'timeout'; pick: number; racePay: boolean }
  | { kind: 'ship'; pick: number }
  | {
      kind: 'refund';
      pick: number;
      sub: number;
      whole: boolean;
      qty: number;
      dup: number;
      decision: 'approve' | 'withdraw' | 'reject';
      approveDup: number;
      returnGoods: boolean;
    }
  | { kind: 'confirm'; pick: number };

const pick = fc.nat({ max: 50 });
export const placeArb: fc.Arbitrary<Op> = fc.record({
  kind: fc.constant('place' as const),
  lines: fc.uniqueArray(fc.record({ p: fc.integer({ min: 0, max: 2 }), q: fc.integer({ min: 1, max: 3 }) }), {
    minLength: 1,
    maxLength: 3,
    selector: (l) => l.p,
  }),
  coupons: fc.constantFrom('auto' as const, 'none' as const),
  points: fc.boolean(),
  flash: fc.boolean(),
  quote: fc.boolean(),
  dup: fc.integer({ min: 1, max: 2 }),
});
export const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: placeArb },
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('pay' as const),
      pick,
      dup: fc.integer({ min: 1, max: 3 }),
      outcome: fc.constantFrom('succeeded' as const, 'succeeded' as const, 'failed' as const),
      redeliver: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('cancel' as const), pick }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('timeout' as const), pick, racePay: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('ship' as const), pick }) },
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('refund' as const),
      pick,
      sub: pick,
      whole: fc.boolean(),
      qty: fc.integer({ min: 1, max: 3 }),
      dup: fc.integer({ min: 1, max: 3 }),
      decision: fc.constantFrom('approve' as const, 'approve' as const, 'withdraw' as const, 'reject' as const),
      approveDup: fc.integer({ min: 1, max: 2 }),
      returnGoods: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('confirm' as const), pick }) },
);

export interface Catalogue {
  /** [P1, P2, P3]: P1 and P2 in shop 0, P3 in shop 1 (also a flash-sale item). */
  products: Array<{ skuId: number; merchantId: number }>;
  owners: Map<number, string>;
  flashItemId: number | null;
}

interface Checkout {
  checkoutNo: string;
  paymentNo: string | null;
  amountFen: number;
  orderIds: number[];
}

export class Shopper {
  readonly checkouts: Checkout[] = [];
  private n = 0;
  constructor(
    private readonly node: TestNode,
    private readonly cat: Catalogue,
    private readonly buyer: { token: string; addressId: number },
    private readonly tag: string,
  ) {}

  private async call(
    method: string,
    path: string,
    opts: { body?: unknown; token?: string; headers?: Record<string, string> } = {},
  ) {
    const r = await this.node.api(method, path, { token: this.buyer.token, ...opts });
    if (process.env.RECONCILE_TRACE) {
      const code = r.status >= 400 ? ` ${r.body?.error?.code ?? ''}` : '';
      process.stdout.write(`  ${method} ${path} → ${r.status}${code}\n`);
    }
    if (r.status >= 500) throw new Error(`${method} ${path} answered ${r.status}: ${JSON.stringify(r.body)}`);
    return r;
  }

  private owner(orderMerchant: number) {
    return this.cat.owners.get(orderMerchant)!;
  }

  /** Orders of this shopper in the given states (random sequences act on something that can take the step). */
  private async ordersIn(statuses: string[]): Promise<Array<{ id: number; checkout: Checkout }>> {
    const ids = this.checkouts.flatMap((c) => c.orderIds);
    if (!ids.length) return [];
    const rows = await this.node.app.ctx.db
      .selectFrom('orders')
      .select(['id', 'status'])
      .where('id', 'in', ids)
      .orderBy('id')
      .execute();
    return rows
      .filter((r) => statuses.includes(r.status))
      .map((r) => ({ id: r.id, checkout: this.checkouts.find((c) => c.orderIds.includes(r.id))! }));
  }

  /** The i-th checkout with an order in one of these states (any checkout when there is none). */
  private async chosen(i: number, statuses = ['pending_payment']) {
    const eligible = [...new Set((await this.ordersIn(statuses)).map((o) => o.checkout))];
    const from = eligible.length ? eligible : this.checkouts;
    return from.length ? from[i % from.length]! : null;
  }

  async run(op: Op): Promise<void> {
    if (process.env.RECONCILE_TRACE) process.stdout.write(`${JSON.stringify(op)}\n`);
    switch (op.kind) {
      case 'place':
        return this.place(op);
      case 'pay':
        return this.pay(op.pick, op.dup, op.outcome, op.redeliver);
      case 'cancel': {
        const c = await this.chosen(op.pick);
        if (c) await this.call('POST', `/api/orders/${c.orderIds[0]}/cancel`);
        return;
      }
      case 'timeout':
        return this.timeout(op.pick, op.racePay);
      case 'ship':
        return this.ship(op.pick);
      case 'refund':
        return this.refund(op);
      case 'confirm':
        return this.confirm(op.pick);
    }
  }

  private async place(op: Extract<Op, { kind: 'place' }>) {
    const items = op.lines.map((l) => ({ skuId: this.cat.products[l.p]!.skuId, quantity: l.q }));
    const flashSku = this.cat.products[2]!.skuId;
    const body: Record<string, unknown> = {
      items,
      addressId: this.buyer.addressId,
      ...(op.coupons === 'none' ? { couponIds: [] } : {}),
      ...(op.points ? { usePoints: true } : {}),
    };
    if (op.flash && this.cat.flashItemId && items.some((i) => i.skuId === flashSku)) {
      const t = await this.call('POST', `/api/flash-sales/items/${this.cat.flashItemId}/token`, { body: {} });
      if (t.status === 200) Object.assign(body, { flashSaleItemId: this.cat.flashItemId, flashToken: t.body.token });
    }
    let quotedTotal: number | undefined;
    if (op.quote) {
      const { flashToken: _t, ...quoteBody } = body;
      const q = await this.call('POST', '/api/checkout/quote', { body: quoteBody });
      if (q.status === 200) {
        body.quoteToken = q.body.quoteToken;
        quotedTotal = q.body.totalFen;
      }
    }
    const key = `${this.tag}-${++this.n}`;
    const placeOnce = () => this.call('POST', '/api/orders', { body: { ...body, idempotencyKey: key } });
    const answers = await Promise.all(Array.from({ length: op.dup }, placeOnce));
    const placed = answers.filter((a) => a.status === 201);
    if (placed.length === 0) {
      // Nothing changed between the quote and the order: its token must be honoured.
      const code = answers[0]!.body?.error?.code;
      if (quotedTotal !== undefined && ['QUOTE_INVALID', 'QUOTE_EXPIRED', 'PRICE_CHANGED'].includes(code)) {
        throw new Error(`a fresh quote was refused: ${JSON.stringify(answers[0]!.body)} for ${JSON.stringify(body)}`);
      }
      return;
    }
    const first = placed[0]!.body;
    // The same key placed twice at once is one checkout.
    for (const p of placed) {
      if (p.body.checkoutNo !== first.checkoutNo) {
        throw new Error(`idempotency: ${first.checkoutNo} and ${p.body.checkoutNo} for one key`);
      }
    }
    const total = first.orders.reduce((s: number, o: { totalFen: number }) => s + o.totalFen, 0);
    if (quotedTotal !== undefined && quotedTotal !== total) {
      throw new Error(`quoted ${quotedTotal} but charged ${total} for ${JSON.stringify(body)}`);
    }
    this.checkouts.push({
      checkoutNo: first.checkoutNo,
      paymentNo: first.payment?.paymentNo ?? null,
      amountFen: first.payment?.amountFen ?? 0,
      orderIds: first.orders.map((o: { orderId: number }) => o.orderId),
    });
  }

  private async notify(c: Checkout, outcome: 'succeeded' | 'failed', eventId = crypto.randomUUID()) {
    const sandbox = this.node.app.ctx.services.payments.providers.get('sandbox') as SandboxProvider;
    const raw = JSON.stringify({ eventId, paymentNo: c.paymentNo, amountFen: c.amountFen, status: outcome });
    const headers = { 'content-type': 'application/json', 'x-sandbox-signature': sandbox.sign(raw) };
    return this.call('POST', '/api/payments/notify/sandbox', { body: raw, headers });
  }

  private async pay(i: number, dup: number, outcome: 'succeeded' | 'failed', redeliver: boolean) {
    const c = await this.chosen(i);
    if (!c?.paymentNo) return;
    const eventId = crypto.randomUUID();
    // The provider delivers the same notice several times at once, and may redeliver it later under a new id.
    await Promise.all(Array.from({ length: dup }, () => this.notify(c, outcome, eventId)));
    if (redeliver) await this.notify(c, outcome);
  }

  private async timeout(i: number, racePay: boolean) {
    const c = await this.chosen(i);
    if (!c) return;
    const db = this.node.app.ctx.db;
    await db
      .updateTable('jobs')
      .set({ run_at: new Date() })
      .where(
        'unique_key',
        'in',
        c.orderIds.map((id) => `order-timeout:${id}`),
      )
      .where('status', '=', 'pending')
      .execute();
    this.node.app.ctx.jobs.wake();
    if (racePay && c.paymentNo) await this.notify(c, 'succeeded');
  }

  private async orderOf(i: number, statuses: string[]) {
    const eligible = await this.ordersIn(statuses);
    if (!eligible.length) return null;
    const orderId = eligible[i % eligible.length]!.id;
    const r = await this.call('GET', `/api/orders/${orderId}`);
    return r.status === 200 ? r.body : null;
  }

  private async ship(i: number) {
    const o = await this.orderOf(i, ['paid']);
    if (!o) return;
    const body = { carrier: '顺丰', trackingNo: `SF${o.id}${this.n}` };
    const token = this.owner(o.merchantId);
    await this.call('POST', `/api/merchants/${o.merchantId}/orders/${o.id}/ship`, { token, body });
  }

  private async confirm(i: number) {
    const o = await this.orderOf(i, ['shipped']);
    if (!o) return;
    const r = await this.call('POST', `/api/orders/${o.id}/confirm-receipt`);
    if (r.status !== 200) return;
    // The after-sales window passes: the order completes (and earns points).
    await this.node.app.ctx.db
      .updateTable('jobs')
      .set({ run_at: new Date() })
      .where('unique_key', '=', `order-complete:${o.id}`)
      .where('status', '=', 'pending')
      .execute();
    this.node.app.ctx.jobs.wake();
  }

  private async refund(op: Extract<Op, { kind: 'refund' }>) {
    const o = await this.orderOf(op.pick, ['paid', 'shipped', 'delivered', 'completed']);
    if (!o) return;
    const open = (l: { quantity: number; refundedQuantity: number }) => l.quantity - l.refundedQuantity;
    const all = o.lines as Array<{ id: number; quantity: number; refundedQuantity: number }>;
    const lines = all.filter((l) => open(l) > 0);
    if (!lines.length) return;
    const one = lines[op.sub % lines.length]!;
    const chosen = op.whole
      ? lines.map((l) => ({ lineId: l.id, quantity: open(l) }))
      : [{ lineId: one.id, quantity: Math.min(op.qty, open(one)) }];
    const sent = ['shipped', 'delivered', 'completed'].includes(o.status);
    const type = op.returnGoods && sent ? 'return_refund' : 'refund_only';
    const body = { type, reason: '测试退款', lines: chosen };
    const ask = () => this.call('POST', `/api/orders/${o.id}/aftersales`, { body });
    const requests = await Promise.all(Array.from({ length: op.dup }, ask));
    const owner = this.owner(o.merchantId);
    for (const req of requests.filter((r) => r.status === 201)) {
      const id = req.body.id as number;
      const shopPath = `/api/merchants/${o.merchantId}/aftersales/${id}`;
      if (op.decision === 'withdraw') {
        await this.call('POST', `/api/aftersales/${id}/cancel`);
        continue;
      }
      if (op.decision === 'reject') {
        await this.call('POST', `${shopPath}/reject`, { token: owner, body: { reason: '不符合' } });
        continue;
      }
      const byShop = (step: string) => () => this.call('POST', `${shopPath}/${step}`, { token: owner });
      const approved = await Promise.all(Array.from({ length: op.approveDup }, byShop('approve')));
      if (type === 'return_refund' && approved.some((a) => a.status === 200)) {
        await this.call('POST', `/api/aftersales/${id}/return`, {
          body: { carrier: '中通', trackingNo: `ZT${id}000` },
        });
        await Promise.all(Array.from({ length: op.approveDup }, byShop('receive')));
      }
    }
  }
}

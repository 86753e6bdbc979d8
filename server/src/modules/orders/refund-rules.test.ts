// The refund rules as pure functions, under random orders and random sequences of refunds.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decideRefund, type RefundableLine } from './refund-rules.ts';

const orderArb = fc.record({
  lines: fc.array(
    fc.record({
      quantity: fc.integer({ min: 1, max: 5 }),
      payableFen: fc.integer({ min: 0, max: 100_000 }),
      shipped: fc.integer({ min: 0, max: 5 }),
    }),
    { minLength: 1, maxLength: 4 },
  ),
  shippingFen: fc.integer({ min: 0, max: 2000 }),
  // each step asks for up to this many units of a line (indexes wrap)
  steps: fc.array(fc.record({ line: fc.nat(), quantity: fc.integer({ min: 1, max: 5 }) }), {
    minLength: 1,
    maxLength: 25,
  }),
  anyShipped: fc.boolean(),
});

describe('refund rules', () => {
  it('refund every unit in any order and get exactly the total back (goods + shipping once, or goods only once something shipped)', () => {
    fc.assert(
      fc.property(orderArb, (o) => {
        const lines: RefundableLine[] = o.lines.map((l, i) => ({
          id: i + 1,
          quantity: l.quantity,
          payableFen: l.payableFen,
          shippedQuantity: o.anyShipped ? Math.min(l.shipped, l.quantity) : 0,
          committedQuantity: 0,
          committedFen: 0,
          committedUnshipped: 0,
        }));
        const totalFen = lines.reduce((s, l) => s + l.payableFen, 0) + o.shippingFen;
        let committedFen = 0;
        let shippingCommitted = false;
        let shippingBack = 0;
        const refundOne = (lineIdx: number, quantity: number) => {
          const l = lines[lineIdx % lines.length]!;
          const q = Math.min(quantity, l.quantity - l.committedQuantity);
          if (q === 0) return;
          const d = decideRefund({ totalFen, shippingFen: o.shippingFen, committedFen, shippingCommitted }, lines, [
            { lineId: l.id, quantity: q },
          ]);
          const line = d.lines[0]!;
          expect(line.unshippedQuantity).toBeLessThanOrEqual(q);
          l.committedQuantity += q;
          l.committedFen += line.amountFen;
          l.committedUnshipped += line.unshippedQuantity;
          committedFen += d.amountFen;
          if (d.shippingFen > 0) {
            expect(shippingCommitted).toBe(false);
            shippingCommitted = true;
            shippingBack += d.shippingFen;
          }
          expect(d.endsOrder).toBe(lines.every((x) => x.committedQuantity === x.quantity));
          expect(committedFen).toBeLessThanOrEqual(totalFen);
          expect(l.committedFen).toBeLessThanOrEqual(l.payableFen);
        };
        for (const s of o.steps) refundOne(s.line, s.quantity);
        for (const [i, l] of lines.entries()) refundOne(i, l.quantity);
        const shipped = lines.some((l) => l.shippedQuantity > 0);
        expect(shippingBack).toBe(shipped ? 0 : o.shippingFen);
        expect(committedFen).toBe(shipped ? totalFen - o.shippingFen : totalFen);
        for (const l of lines) {
          expect(l.committedFen).toBe(l.payableFen);
          expect(l.committedUnshipped).toBe(l.quantity - l.shippedQuantity);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('never refunds more than is left of the order, even when the books are already off', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 0, max: 500 }),
        (payable, committedFen, shippingFen) => {
          const d = decideRefund(
            { totalFen: payable + shippingFen, shippingFen, committedFen, shippingCommitted: false },
            [
              {
                id: 1,
                quantity: 1,
                payableFen: payable,
                shippedQuantity: 0,
                committedQuantity: 0,
                committedFen: 0,
                committedUnshipped: 0,
              },
            ],
            [{ lineId: 1, quantity: 1 }],
          );
          expect(d.amountFen).toBeLessThanOrEqual(Math.max(0, payable + shippingFen - committedFen));
          expect(d.amountFen).toBe(d.lines[0]!.amountFen + d.shippingFen);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('refuses units already refunded or being refunded, and lines not in the order', () => {
    const line = {
      id: 1,
      quantity: 2,
      payableFen: 100,
      shippedQuantity: 0,
      committedQuantity: 1,
      committedFen: 50,
      committedUnshipped: 1,
    };
    const order = { totalFen: 200, shippingFen: 100, committedFen: 50, shippingCommitted: false };
    expect(() => decideRefund(order, [line], [{ lineId: 1, quantity: 2 }])).toThrow(
      expect.objectContaining({ code: 'NOTHING_LEFT_TO_REFUND' }),
    );
    expect(() => decideRefund(order, [line], [{ lineId: 9, quantity: 1 }])).toThrow(
      expect.objectContaining({ code: 'LINE_NOT_IN_ORDER' }),
    );
    expect(() =>
      decideRefund(
        order,
        [line],
        [
          { lineId: 1, quantity: 1 },
          { lineId: 1, quantity: 1 },
        ],
      ),
    ).toThrow(expect.objectContaining({ code: 'LINE_REPEATED' }));
    expect(decideRefund(order, [line], [{ lineId: 1, quantity: 1 }])).toMatchObject({
      amountFen: 150,
      shippingFen: 100,
      endsOrder: true,
    });
  });
});

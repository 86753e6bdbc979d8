// The sandbox payout (on by default outside production): no money moves. It keeps each out-batch
// number's result, so a repeated transfer answers the first result and never pays twice, and tests
// can plan the next answers ('transient' throws, 'reject' refuses for good, 'processing' defers).
import crypto from 'node:crypto';
import type { PayoutProvider, PayoutRequest, PayoutResult } from './provider.ts';

export type SandboxOutcome = 'succeed' | 'transient' | 'reject' | 'processing';

export class SandboxPayout implements PayoutProvider {
  readonly name = 'sandbox' as const;
  /** Every transfer that paid, in order (one per out-batch number). */
  readonly paid: PayoutRequest[] = [];
  readonly calls: string[] = [];
  private readonly results = new Map<string, PayoutResult>();
  private readonly planned: SandboxOutcome[] = [];

  /** The next transfers answer these, in order (then: succeed). */
  plan(...outcomes: SandboxOutcome[]): void {
    this.planned.push(...outcomes);
  }

  async transfer(r: PayoutRequest): Promise<PayoutResult> {
    this.calls.push(r.outBatchNo);
    const known = this.results.get(r.outBatchNo);
    if (known && known.status !== 'processing') return known;
    const outcome = this.planned.shift() ?? 'succeed';
    if (outcome === 'transient') throw new Error('sandbox payout: connection reset (planned)');
    const providerBatchId = known?.status === 'processing' ? known.providerBatchId : sandboxBatchId();
    const result: PayoutResult =
      outcome === 'reject'
        ? { status: 'failed', reason: 'sandbox payout: refused (planned)' }
        : outcome === 'processing'
          ? { status: 'processing', providerBatchId }
          : { status: 'succeeded', providerBatchId };
    this.results.set(r.outBatchNo, result);
    if (result.status === 'succeeded') this.paid.push(r);
    return result;
  }
}

const sandboxBatchId = () => `sandbox-${crypto.randomBytes(8).toString('hex')}`;

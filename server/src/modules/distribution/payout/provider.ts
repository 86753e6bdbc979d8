// Paying a promoter's withdrawal out (商家转账到零钱). A transfer is named by our out-batch number, so
// asking again for the same number never pays twice: a provider first looks the number up.

export interface PayoutRequest {
  outBatchNo: string;
  amountFen: number;
  /** The payee's WeChat openid (the sandbox does not need one). */
  openid: string | null;
  remark: string;
}

/**
 * succeeded: the money reached the payee. failed: the provider refused it for good (the money goes
 * back to the balance). processing: accepted, not final yet (asked again later). A transient error
 * (network, 5xx) is thrown, and the job tries again.
 */
export type PayoutResult =
  | { status: 'succeeded'; providerBatchId: string }
  | { status: 'processing'; providerBatchId: string }
  | { status: 'failed'; reason: string };

export interface PayoutProvider {
  readonly name: 'sandbox' | 'wechat' | 'none';
  transfer(r: PayoutRequest): Promise<PayoutResult>;
}

/** Production without WeChat Pay configured: every payout is refused, so no money is pretended to be paid. */
export class UnconfiguredPayout implements PayoutProvider {
  readonly name = 'none' as const;
  async transfer(): Promise<PayoutResult> {
    return { status: 'failed', reason: 'No payout provider is configured (WECHAT_PAY_* settings)' };
  }
}

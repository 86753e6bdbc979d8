// WeChat Pay v3 商家转账到零钱 (transfer batches) for withdrawals. Requests are signed and answers
// verified exactly as the payment adapter does (its authorization and verifySignature are reused).
// The batch is first looked up by out_batch_no, so a retry after a lost answer never pays twice.
import { WechatPayProvider, type WechatPayConfig } from '../../payments/providers/wechat-pay.ts';
import type { PayoutProvider, PayoutRequest, PayoutResult } from './provider.ts';

interface BatchAnswer {
  transfer_batch?: { batch_id: string; batch_status: string; close_reason?: string };
  transfer_detail_list?: Array<{ detail_status: string; fail_reason?: string }>;
}

class NotFound extends Error {}

export class WechatTransferPayout implements PayoutProvider {
  readonly name = 'wechat' as const;
  private readonly signer: WechatPayProvider;

  constructor(private readonly cfg: WechatPayConfig) {
    this.signer = new WechatPayProvider(cfg);
  }

  get configured(): boolean {
    return this.signer.configured;
  }

  private async call<T>(method: 'GET' | 'POST', urlPath: string, body?: unknown): Promise<T> {
    const text = body === undefined ? '' : JSON.stringify(body);
    const res = await fetch(this.cfg.apiBase + urlPath, {
      method,
      headers: {
        authorization: this.signer.authorization(method, urlPath, text),
        accept: 'application/json',
        'content-type': 'application/json',
        'user-agent': 'LiveMall',
      },
      ...(body === undefined ? {} : { body: text }),
      signal: AbortSignal.timeout(10_000),
    });
    const raw = await res.text();
    this.signer.verifySignature(Object.fromEntries(res.headers), raw);
    const data = (raw ? JSON.parse(raw) : {}) as T & { code?: string; message?: string };
    if (res.status === 404 || data.code === 'NOT_FOUND') throw new NotFound(urlPath);
    if (res.status >= 300)
      throw new Error(`WeChat Pay ${urlPath} answered ${res.status} ${data.code ?? ''}: ${data.message ?? raw}`);
    return data;
  }

  private async lookUp(outBatchNo: string): Promise<PayoutResult | null> {
    try {
      const a = await this.call<BatchAnswer>(
        'GET',
        `/v3/transfer/batches/out-batch-no/${encodeURIComponent(outBatchNo)}?need_query_detail=true&detail_status=ALL`,
      );
      return resultOf(a);
    } catch (err) {
      if (err instanceof NotFound) return null;
      throw err;
    }
  }

  async transfer(r: PayoutRequest): Promise<PayoutResult> {
    if (!r.openid)
      return { status: 'failed', reason: 'The promoter has no WeChat openid (never signed in with WeChat)' };
    const known = await this.lookUp(r.outBatchNo);
    if (known) return known;
    const created = await this.call<{ batch_id: string }>('POST', '/v3/transfer/batches', {
      appid: this.cfg.appId,
      out_batch_no: r.outBatchNo,
      batch_name: '推广佣金提现',
      batch_remark: r.remark.slice(0, 32),
      total_amount: r.amountFen,
      total_num: 1,
      transfer_detail_list: [
        {
          out_detail_no: r.outBatchNo,
          transfer_amount: r.amountFen,
          transfer_remark: r.remark.slice(0, 32),
          openid: r.openid,
        },
      ],
    });
    return { status: 'processing', providerBatchId: created.batch_id };
  }
}

/** A batch's state as a payout result: one detail per batch, so its status is the transfer's. */
export function resultOf(a: BatchAnswer): PayoutResult {
  const batch = a.transfer_batch;
  const detail = a.transfer_detail_list?.[0];
  const id = batch?.batch_id ?? '';
  if (detail?.detail_status === 'SUCCESS') return { status: 'succeeded', providerBatchId: id };
  if (detail?.detail_status === 'FAIL') return { status: 'failed', reason: detail.fail_reason ?? 'FAIL' };
  if (batch?.batch_status === 'CLOSED') return { status: 'failed', reason: batch.close_reason ?? 'CLOSED' };
  return { status: 'processing', providerBatchId: id };
}

// After-sales on the order page: where each line stands (refunded, being refunded, asked for by an
// open request, still refundable — as the server counts them), the order's requests with their
// amounts, and the request sheet, which asks only for what is refundable now and shows the server's
// estimate of the refund before it is sent.
import { Button, Form, Input, List, Popup, Radio, Stepper, Tag, Toast } from 'antd-mobile';
import { useEffect, useState } from 'react';
import { api, call, yuan } from '../api.ts';
import { errorMessage, t } from '../i18n.ts';
import { useAsync } from './Async.tsx';

type RefundState = Awaited<ReturnType<typeof loadState>>;
type Estimate = Awaited<ReturnType<typeof loadEstimate>>;
type Request = Awaited<ReturnType<typeof loadRequests>>[number];
type Asked = Array<{ lineId: number; quantity: number }>;

const loadState = (orderId: number) =>
  call(() => api.GET('/api/orders/{orderId}/refundable', { params: { path: { orderId } } }));
const loadRequests = (orderId: number) => call(() => api.GET('/api/aftersales', { params: { query: { orderId } } }));
const loadEstimate = (orderId: number, lines: Asked) =>
  call(() => api.POST('/api/orders/{orderId}/aftersales/estimate', { params: { path: { orderId } }, body: { lines } }));

export const AFTERSALE_STATUS: Record<string, string> = {
  requested: '待商家处理', awaiting_return: '待寄回', returned: '已寄回', refunding: '退款中', refunded: '已退款',
  rejected: '已拒绝', cancelled: '已撤销',
};
/** Until its refund starts a request's amount is an estimate; from then on it is what is refunded. */
const isEstimate = (status: string) => ['requested', 'awaiting_return', 'returned'].includes(status);

/** The refund progress of one order line, in the server's counts. */
export function LineRefund(props: { line?: RefundState['lines'][number] | undefined }) {
  const l = props.line;
  if (!l || l.refundedQuantity + l.refundingQuantity + l.requestedQuantity === 0) return null;
  const parts = [
    l.refundedQuantity && `${t('已退')} ${l.refundedQuantity}`,
    l.refundingQuantity && `${t('退款中')} ${l.refundingQuantity}`,
    l.requestedQuantity && `${t('申请中')} ${l.requestedQuantity}`,
    `${t('可退')} ${l.refundableQuantity}`,
  ].filter(Boolean);
  return <div className="reason" data-testid={`line-refund-${l.lineId}`}>{parts.join(' · ')}</div>;
}

/** The order's refund totals and its after-sales requests. */
export function AfterSaleRecords(props: { state: RefundState; requests: Request[] }) {
  const { state, requests } = props;
  if (requests.length === 0 && state.refundedFen + state.refundingFen === 0) return null;
  return (
    <List header={t('售后')}>
      <List.Item extra={<span data-testid="refunded-total">{yuan(state.refundedFen)}</span>}>{t('已退款')}</List.Item>
      {state.refundingFen > 0 && (
        <List.Item extra={<span data-testid="refunding-total">{yuan(state.refundingFen)}</span>}>{t('退款中')}</List.Item>
      )}
      {requests.map((r) => (
        <List.Item key={r.id} data-testid="aftersale-row" data-status={r.status}
          description={r.lines.map((l) => `${l.productTitle} ${l.skuName} × ${l.quantity}`).join('，')}
          extra={<div className="right">
            <Tag data-testid="aftersale-status">{t(AFTERSALE_STATUS[r.status] ?? r.status)}</Tag>
            <div className="muted">{t(isEstimate(r.status) ? '预计退款' : '退款金额')}</div>
            <div className="price" data-testid="aftersale-amount">{yuan(r.amountFen)}</div>
          </div>}>
          {r.aftersaleNo}
        </List.Item>
      ))}
    </List>
  );
}

/** The request sheet: quantities up to what is refundable now, the server's estimate, type and reason. */
export function AfterSaleSheet(props: {
  orderId: number; state: RefundState; titles: Map<number, string>; visible: boolean; onClose(): void; onDone(): void;
}) {
  const { orderId, state } = props;
  const [qty, setQty] = useState<Record<number, number>>({});
  useEffect(() => {
    if (props.visible) setQty(Object.fromEntries(state.lines.map((l) => [l.lineId, l.refundableQuantity])));
  }, [props.visible, state]);
  const asked: Asked = state.lines.filter((l) => (qty[l.lineId] ?? 0) > 0)
    .map((l) => ({ lineId: l.lineId, quantity: qty[l.lineId]! }));
  const key = JSON.stringify(asked);
  const estimate = useAsync<Estimate | null>(
    async () => (props.visible && asked.length ? loadEstimate(orderId, asked) : null), [key, props.visible]);
  const fresh = estimate.data !== undefined && !estimate.loading;
  const shownAmount = estimate.error ? errorMessage(estimate.error)
    : estimate.data ? yuan(estimate.data.amountFen) : '—';
  const shipping = estimate.data?.shippingFen;
  const submit = async (v: { type: 'refund_only' | 'return_refund'; reason: string; description?: string }) => {
    try {
      const note = v.description ? { description: v.description } : {};
      const body = { type: v.type, reason: v.reason, lines: asked, ...note };
      await call(() => api.POST('/api/orders/{orderId}/aftersales', { params: { path: { orderId } }, body }));
      Toast.show({ content: t('已提交') });
      props.onDone();
    } catch (e) { Toast.show({ content: errorMessage(e) }); }
  };
  return (
    <Popup visible={props.visible} onMaskClick={props.onClose} bodyClassName="sheet" destroyOnClose>
      <div className="sheet-title">{t('申请售后')}</div>
      <List>
        {state.lines.filter((l) => l.refundableQuantity > 0).map((l) => (
          <List.Item key={l.lineId} description={`${t('可退')} ${l.refundableQuantity}`}
            extra={<Stepper min={0} max={l.refundableQuantity} value={qty[l.lineId] ?? 0}
              data-testid={`refund-qty-${l.lineId}`} onChange={(n) => setQty((q) => ({ ...q, [l.lineId]: n }))} />}>
            {props.titles.get(l.lineId) ?? ''}
          </List.Item>
        ))}
        <List.Item data-testid="refund-estimate-row" data-fresh={String(fresh)}
          description={shipping ? `${t('含运费')} ${yuan(shipping)}` : t('退款金额以商家开始退款时为准')}
          extra={<b data-testid="refund-estimate">{shownAmount}</b>}>
          {t('预计退款')}
        </List.Item>
      </List>
      <Form onFinish={submit} initialValues={{ type: state.types[0] }}
        footer={<Button block type="submit" color="primary" data-testid="aftersale-submit"
          disabled={!asked.length || !fresh || !!estimate.error}>{t('提交')}</Button>}>
        <Form.Item name="type" label={t('类型')}>
          <Radio.Group>
            {state.types.map((k) => <Radio key={k} value={k}>{t(k === 'refund_only' ? '仅退款' : '退货退款')}</Radio>)}
          </Radio.Group>
        </Form.Item>
        <Form.Item name="reason" label={t('原因')} rules={[{ required: true }]}>
          <Input placeholder={t('如：不想要了')} data-testid="aftersale-reason" />
        </Form.Item>
        <Form.Item name="description" label={t('说明')}><Input /></Form.Item>
      </Form>
    </Popup>
  );
}

/** State and requests of one order, reloaded together after a change. */
export function useAfterSales(orderId: number) {
  const state = useAsync(() => loadState(orderId), [orderId]);
  const requests = useAsync(() => loadRequests(orderId), [orderId]);
  return { state, requests, reload: () => { state.reload(); requests.reload(); } };
}

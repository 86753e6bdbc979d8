// After-sales on the order page: where each line stands (refunded, being refunded, asked for by an
// open request, still refundable — as the server counts them), the order's requests with their
// amounts, and the request sheet, which asks only for what is refundable now and shows the server's
// estimate of the refund before it is sent.
import { useLabels, type paths } from '@livemall/sdk';
import { Button, Form, Input, List, Popup, Radio, Stepper, Tag, Toast } from 'antd-mobile';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { $api, yuan } from '../api.ts';
import { ContactButton } from '../support/ContactButton.tsx';
import { errorMessage } from '../i18n.ts';

type Json<P extends keyof paths, M extends 'get' | 'post'> = paths[P][M] extends {
  responses: { 200: { content: { 'application/json': infer R } } };
}
  ? R
  : never;
type RefundState = Json<'/api/orders/{orderId}/refundable', 'get'>;
type Request = Json<'/api/aftersales', 'get'>[number];
type Asked = Array<{ lineId: number; quantity: number }>;
/** Until its refund starts a request's amount is an estimate; from then on it is what is refunded. */
const isEstimate = (status: string) => ['requested', 'awaiting_return', 'returned'].includes(status);

/** The refund progress of one order line, in the server's counts. */
export function LineRefund(props: { line?: RefundState['lines'][number] | undefined }) {
  const { t } = useTranslation();
  const l = props.line;
  if (!l || l.refundedQuantity + l.refundingQuantity + l.requestedQuantity === 0) return null;
  const parts = [
    l.refundedQuantity && t('aftersales.refunded', { n: l.refundedQuantity }),
    l.refundingQuantity && t('aftersales.refunding', { n: l.refundingQuantity }),
    l.requestedQuantity && t('aftersales.requested', { n: l.requestedQuantity }),
    t('aftersales.refundable', { n: l.refundableQuantity }),
  ].filter(Boolean);
  return (
    <div className="reason" data-testid={`line-refund-${l.lineId}`}>
      {parts.join(' · ')}
    </div>
  );
}

/** The order's refund totals and its after-sales requests. */
export function AfterSaleRecords(props: { state: RefundState; requests: Request[]; merchantId?: number }) {
  const { state, requests } = props;
  const { t } = useTranslation();
  const labels = useLabels();
  if (requests.length === 0 && state.refundedFen + state.refundingFen === 0) return null;
  return (
    <List header={t('aftersales.title')}>
      <List.Item extra={<span data-testid="refunded-total">{yuan(state.refundedFen)}</span>}>
        {t('aftersales.refundedTotal')}
      </List.Item>
      {state.refundingFen > 0 && (
        <List.Item extra={<span data-testid="refunding-total">{yuan(state.refundingFen)}</span>}>
          {t('aftersales.refundingTotal')}
        </List.Item>
      )}
      {requests.map((r) => (
        <List.Item
          key={r.id}
          data-testid="aftersale-row"
          data-status={r.status}
          description={
            <>
              {r.lines.map((l) => `${l.productTitle} ${l.skuName} × ${l.quantity}`).join('，')}
              {props.merchantId && (
                <div>
                  <ContactButton merchantId={props.merchantId} from={{ kind: 'aftersale', id: r.id }} size="mini" />
                </div>
              )}
            </>
          }
          extra={
            <div className="right">
              <Tag data-testid="aftersale-status">{labels.label('aftersaleStatus', r.status)}</Tag>
              <div className="muted">{isEstimate(r.status) ? t('aftersales.estimate') : t('aftersales.amount')}</div>
              <div className="price" data-testid="aftersale-amount">
                {yuan(r.amountFen)}
              </div>
            </div>
          }
        >
          {r.aftersaleNo}
        </List.Item>
      ))}
    </List>
  );
}

/** The request sheet: quantities up to what is refundable now, the server's estimate, type and reason. */
export function AfterSaleSheet(props: {
  orderId: number;
  state: RefundState;
  titles: Map<number, string>;
  visible: boolean;
  onClose(): void;
  onDone(): void;
}) {
  const { orderId, state } = props;
  const { t } = useTranslation();
  const labels = useLabels();
  const [qty, setQty] = useState<Record<number, number>>({});
  useEffect(() => {
    if (props.visible) setQty(Object.fromEntries(state.lines.map((l) => [l.lineId, l.refundableQuantity])));
  }, [props.visible, state]);
  const asked: Asked = state.lines
    .filter((l) => (qty[l.lineId] ?? 0) > 0)
    .map((l) => ({ lineId: l.lineId, quantity: qty[l.lineId]! }));
  // The server's estimate of exactly what is asked (a computation: POST, keyed by the lines asked).
  const estimate = $api.useQuery(
    'post',
    '/api/orders/{orderId}/aftersales/estimate',
    { params: { path: { orderId } }, body: { lines: asked } },
    { enabled: props.visible && asked.length > 0 },
  );
  const fresh = asked.length === 0 || (estimate.isSuccess && !estimate.isFetching);
  const shownAmount = estimate.error
    ? errorMessage(estimate.error)
    : estimate.data && asked.length
      ? yuan(estimate.data.amountFen)
      : '—';
  const shipping = asked.length ? estimate.data?.shippingFen : undefined;
  const request = $api.useMutation('post', '/api/orders/{orderId}/aftersales');
  const submit = async (v: { type: 'refund_only' | 'return_refund'; reason: string; description?: string }) => {
    try {
      const note = v.description ? { description: v.description } : {};
      const body = { type: v.type, reason: v.reason, lines: asked, ...note };
      await request.mutateAsync({ params: { path: { orderId } }, body });
      Toast.show({ content: t('common.submitted') });
      props.onDone();
    } catch (e) {
      Toast.show({ content: errorMessage(e) });
    }
  };
  return (
    <Popup visible={props.visible} onMaskClick={props.onClose} bodyClassName="sheet" destroyOnClose>
      <div className="sheet-title">{t('aftersales.sheetTitle')}</div>
      <List>
        {state.lines
          .filter((l) => l.refundableQuantity > 0)
          .map((l) => (
            <List.Item
              key={l.lineId}
              description={t('aftersales.refundable', { n: l.refundableQuantity })}
              extra={
                <Stepper
                  min={0}
                  max={l.refundableQuantity}
                  value={qty[l.lineId] ?? 0}
                  data-testid={`refund-qty-${l.lineId}`}
                  onChange={(n) => setQty((q) => ({ ...q, [l.lineId]: n }))}
                />
              }
            >
              {props.titles.get(l.lineId) ?? ''}
            </List.Item>
          ))}
        <List.Item
          data-testid="refund-estimate-row"
          data-fresh={String(fresh)}
          description={
            shipping ? t('aftersales.inclShipping', { amount: yuan(shipping) }) : t('aftersales.settledLater')
          }
          extra={<b data-testid="refund-estimate">{shownAmount}</b>}
        >
          {t('aftersales.estimate')}
        </List.Item>
      </List>
      <Form
        onFinish={submit}
        initialValues={{ type: state.types[0] }}
        footer={
          <Button
            block
            type="submit"
            color="primary"
            data-testid="aftersale-submit"
            loading={request.isPending}
            disabled={!asked.length || !fresh || !!estimate.error}
          >
            {t('common.submit')}
          </Button>
        }
      >
        <Form.Item name="type" label={t('aftersales.type')}>
          <Radio.Group>
            {state.types.map((k) => (
              <Radio key={k} value={k}>
                {labels.label('aftersaleType', k)}
              </Radio>
            ))}
          </Radio.Group>
        </Form.Item>
        <Form.Item
          name="reason"
          label={t('aftersales.reason')}
          rules={[{ required: true, message: t('form.required') }]}
        >
          <Input placeholder={t('aftersales.reasonExample')} data-testid="aftersale-reason" />
        </Form.Item>
        <Form.Item name="description" label={t('aftersales.details')}>
          <Input />
        </Form.Item>
      </Form>
    </Popup>
  );
}

/** Refund state and requests of one order (refetched after any change the shopper makes). */
export function useAfterSales(orderId: number) {
  const state = $api.useQuery('get', '/api/orders/{orderId}/refundable', { params: { path: { orderId } } });
  const requests = $api.useQuery('get', '/api/aftersales', { params: { query: { orderId } } });
  return { state, requests };
}

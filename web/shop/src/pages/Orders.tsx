import { useLabels } from '@livemall/sdk';
import { keepPreviousData } from '@tanstack/react-query';
import { Button, Dialog, List, Tabs, Tag, Toast } from 'antd-mobile';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { $api, errorText, useSession, yuan } from '../api.ts';
import { AfterSaleRecords, AfterSaleSheet, LineRefund, useAfterSales } from '../components/AfterSales.tsx';
import { Async } from '../components/Async.tsx';
import { LoginForm } from '../components/LoginForm.tsx';
import { Thumb } from '../components/Thumb.tsx';
import { ContactButton } from '../support/ContactButton.tsx';

const TABS = ['all', 'pending_payment', 'paid', 'shipped', 'completed'] as const;
const statusColor = (s: string) => (s === 'paid' ? 'success' : s === 'pending_payment' ? 'warning' : 'default');

export function Orders() {
  const { t } = useTranslation();
  const labels = useLabels();
  const user = useSession();
  const [tab, setTab] = useState<(typeof TABS)[number]>('all');
  const orders = $api.useQuery(
    'get',
    '/api/orders',
    { params: { query: tab === 'all' ? {} : { status: tab } } },
    { enabled: !!user, placeholderData: keepPreviousData },
  );
  if (!user)
    return (
      <div className="page">
        <LoginForm />
      </div>
    );
  return (
    <div className="page">
      <Tabs activeKey={tab} onChange={(k) => setTab(k as typeof tab)}>
        {TABS.map((k) => (
          <Tabs.Tab key={k} title={k === 'all' ? t('common.all') : labels.label('orderStatus', k)} />
        ))}
      </Tabs>
      <Async query={orders} empty={(o) => o.items.length === 0}>
        {(o) => (
          <List>
            {o.items.map((x) => (
              <Link key={x.id} to={`/orders/${x.id}`} data-testid="order-row">
                <List.Item
                  prefix={<Thumb url={x.lines[0]?.imageUrl ?? null} />}
                  description={`${x.orderNo} · ${x.lines.map((l) => `${l.productTitle}×${l.quantity}`).join('，')}`}
                  extra={
                    <div className="right">
                      <Tag color={statusColor(x.status)} data-testid="order-status">
                        {labels.label('orderStatus', x.status)}
                      </Tag>
                      <div className="price">{yuan(x.totalFen)}</div>
                    </div>
                  }
                >
                  {x.merchantName}
                </List.Item>
              </Link>
            ))}
          </List>
        )}
      </Async>
    </div>
  );
}

export function OrderDetail() {
  const { t } = useTranslation();
  const labels = useLabels();
  const orderId = Number(useParams().orderId);
  const path = { params: { path: { orderId } } };
  const order = $api.useQuery('get', '/api/orders/{orderId}', path);
  const cancel = $api.useMutation('post', '/api/orders/{orderId}/cancel');
  const confirmReceipt = $api.useMutation('post', '/api/orders/{orderId}/confirm-receipt');
  const [afterSale, setAfterSale] = useState(false);
  const refunds = useAfterSales(orderId);
  const refundState = refunds.state.data;
  const act = async (what: 'cancel' | 'confirm') => {
    const content = what === 'cancel' ? t('orders.cancel') : t('orders.confirmReceipt');
    if (!(await Dialog.confirm({ content, confirmText: t('common.ok'), cancelText: t('common.cancel') }))) return;
    try {
      await (what === 'cancel' ? cancel : confirmReceipt).mutateAsync(path);
    } catch (e) {
      Toast.show({ content: errorText(e) });
    }
  };
  return (
    <Async query={order}>
      {(o) => (
        <div className="page">
          <div className="card">
            <h2 data-testid="order-detail-status">{labels.label('orderStatus', o.status)}</h2>
            <div className="muted">
              {o.orderNo} · {o.merchantName}
            </div>
            <ContactButton merchantId={o.merchantId} from={{ kind: 'order', id: o.id }} />
          </div>
          <List header={t('orders.goods')}>
            {o.lines.map((l) => (
              <List.Item
                key={l.skuId}
                prefix={<Thumb url={l.imageUrl} />}
                data-testid={`order-line-${l.id}`}
                extra={yuan(l.payableFen)}
                description={
                  <>
                    {l.skuName} × {l.quantity}
                    {l.adjustments.map((a, i) => (
                      // biome-ignore lint/suspicious/noArrayIndexKey: the server's list for one line, never reordered
                      <div key={i} className="reason">
                        {labels.server(a.reason)} {yuan(a.amountFen)}
                      </div>
                    ))}
                    <LineRefund line={refundState?.lines.find((r) => r.lineId === l.id)} />
                  </>
                }
              >
                {l.productTitle}
              </List.Item>
            ))}
            {o.charges.map((c, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: the order's charges, never reordered
              <List.Item key={`c${i}`} extra={yuan(c.amountFen)}>
                {labels.server(c.reason)}
              </List.Item>
            ))}
            <List.Item extra={yuan(o.goodsFen)}>{t('checkout.goods')}</List.Item>
            <List.Item extra={`-${yuan(o.discountFen)}`}>{t('checkout.discount')}</List.Item>
            <List.Item extra={yuan(o.shippingFen)}>{t('checkout.shipping')}</List.Item>
            <List.Item extra={<b>{yuan(o.totalFen)}</b>}>{t('checkout.total')}</List.Item>
          </List>
          {refundState && refunds.requests.data && (
            <AfterSaleRecords state={refundState} requests={refunds.requests.data} merchantId={o.merchantId} />
          )}
          {o.address && (
            <List header={t('orders.address')}>
              <List.Item
                data-testid="order-address"
                description={`${o.address.province} ${o.address.city} ${o.address.district} ${o.address.detail}`}
              >
                {o.address.name} {o.address.phone}
              </List.Item>
            </List>
          )}
          <List header={t('orders.shipments')} data-testid="order-shipping">
            {o.shipments.length > 0 ? (
              o.shipments.map((p) => (
                <List.Item key={p.id} description={`${p.trackingNo} · ${labels.dateTime(p.shippedAt)}`}>
                  {t('orders.shippedWith', { carrier: p.carrier })}
                </List.Item>
              ))
            ) : (
              <List.Item>{t(o.status === 'pending_payment' ? 'orders.notPaid' : 'orders.awaitingShipment')}</List.Item>
            )}
          </List>
          <div className="bottom-bar row">
            {o.status === 'pending_payment' && <Button onClick={() => void act('cancel')}>{t('orders.cancel')}</Button>}
            {(o.status === 'shipped' || o.status === 'delivered') && (
              <Button color="primary" onClick={() => void act('confirm')}>
                {t('orders.confirmReceipt')}
              </Button>
            )}
            {refundState?.canRequest && (
              <Button onClick={() => setAfterSale(true)} data-testid="request-aftersale">
                {t('orders.requestAftersale')}
              </Button>
            )}
          </div>
          {refundState && (
            <AfterSaleSheet
              orderId={orderId}
              state={refundState}
              visible={afterSale}
              onClose={() => setAfterSale(false)}
              titles={new Map(o.lines.map((l) => [l.id, `${l.productTitle} ${l.skuName}`]))}
              onDone={() => setAfterSale(false)}
            />
          )}
        </div>
      )}
    </Async>
  );
}

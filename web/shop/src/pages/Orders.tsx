import { Button, Dialog, List, Tabs, Tag, Toast } from 'antd-mobile';
import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { api, call, errorText, useSession, yuan } from '../api.ts';
import { AfterSaleRecords, AfterSaleSheet, LineRefund, useAfterSales } from '../components/AfterSales.tsx';
import { Async, useAsync } from '../components/Async.tsx';
import { LoginForm } from '../components/LoginForm.tsx';
import { t } from '../i18n.ts';

export const STATUS: Record<string, string> = {
  pending_payment: '待付款', paid: '已付款', shipped: '已发货', delivered: '已签收', completed: '已完成', cancelled: '已取消', refunding: '退款中', refunded: '已退款',
};
const TABS = ['all', 'pending_payment', 'paid', 'shipped', 'completed'] as const;

export function Orders() {
  const user = useSession();
  const [tab, setTab] = useState<(typeof TABS)[number]>('all');
  const orders = useAsync(async () => (user ? call(() => api.GET('/api/orders', { params: { query: tab === 'all' ? {} : { status: tab } } })) : null), [tab, user?.userId]);
  if (!user) return <div className="page"><LoginForm /></div>;
  return (
    <div className="page">
      <Tabs activeKey={tab} onChange={(k) => setTab(k as typeof tab)}>{TABS.map((k) => <Tabs.Tab key={k} title={t(k === 'all' ? '全部' : STATUS[k]!)} />)}</Tabs>
      <Async state={orders} empty={(o) => !o || o.items.length === 0}>{(o) => (
        <List>
          {o!.items.map((x) => (
            <Link key={x.id} to={`/orders/${x.id}`} data-testid="order-row">
              <List.Item description={`${x.orderNo} · ${x.lines.map((l) => `${l.productTitle}×${l.quantity}`).join('，')}`}
                extra={<div className="right"><Tag color={x.status === 'paid' ? 'success' : x.status === 'pending_payment' ? 'warning' : 'default'} data-testid="order-status">{t(STATUS[x.status] ?? x.status)}</Tag><div className="price">{yuan(x.totalFen)}</div></div>}>
                {x.merchantName}
              </List.Item>
            </Link>
          ))}
        </List>
      )}</Async>
    </div>
  );
}

export function OrderDetail() {
  const orderId = Number(useParams().orderId);
  const order = useAsync(() => call(() => api.GET('/api/orders/{orderId}', { params: { path: { orderId } } })), [orderId]);
  const [afterSale, setAfterSale] = useState(false);
  const refunds = useAfterSales(orderId);
  const refundState = refunds.state.data;
  const act = async (what: 'cancel' | 'confirm-receipt') => {
    if (!(await Dialog.confirm({ content: t(what === 'cancel' ? '取消订单' : '确认收货') }))) return;
    try {
      if (what === 'cancel') await call(() => api.POST('/api/orders/{orderId}/cancel', { params: { path: { orderId } } }));
      else await call(() => api.POST('/api/orders/{orderId}/confirm-receipt', { params: { path: { orderId } } }));
      order.reload();
    } catch (e) { Toast.show({ content: errorText(e) }); }
  };
  return (
    <Async state={order}>{(o) => (
      <div className="page">
        <div className="card"><h2 data-testid="order-detail-status">{t(STATUS[o.status] ?? o.status)}</h2><div className="muted">{o.orderNo} · {o.merchantName}</div></div>
        <List header={t('商品')}>
          {o.lines.map((l) => (
            <List.Item key={l.skuId} data-testid={`order-line-${l.id}`} extra={yuan(l.payableFen)} description={<>
              {l.skuName} × {l.quantity}
              {l.adjustments.map((a, i) => <div key={i} className="reason">{a.reason} {yuan(a.amountFen)}</div>)}
              <LineRefund line={refundState?.lines.find((r) => r.lineId === l.id)} />
            </>}>{l.productTitle}</List.Item>
          ))}
          {o.charges.map((c, i) => <List.Item key={`c${i}`} extra={yuan(c.amountFen)}>{c.reason}</List.Item>)}
          <List.Item extra={yuan(o.goodsFen)}>{t('商品金额')}</List.Item>
          <List.Item extra={`-${yuan(o.discountFen)}`}>{t('优惠')}</List.Item>
          <List.Item extra={yuan(o.shippingFen)}>{t('运费')}</List.Item>
          <List.Item extra={<b>{yuan(o.totalFen)}</b>}>{t('实付')}</List.Item>
        </List>
        {refundState && refunds.requests.data && (
          <AfterSaleRecords state={refundState} requests={refunds.requests.data} />
        )}
        {o.shipments.length > 0 && <List header="📦">{o.shipments.map((p) => <List.Item key={p.id} description={p.trackingNo}>{p.carrier}</List.Item>)}</List>}
        <div className="bottom-bar row">
          {o.status === 'pending_payment' && <Button onClick={() => void act('cancel')}>{t('取消订单')}</Button>}
          {(o.status === 'shipped' || o.status === 'delivered') && <Button color="primary" onClick={() => void act('confirm-receipt')}>{t('确认收货')}</Button>}
          {refundState?.canRequest && (
            <Button onClick={() => setAfterSale(true)} data-testid="request-aftersale">{t('申请售后')}</Button>
          )}
        </div>
        {refundState && (
          <AfterSaleSheet orderId={orderId} state={refundState} visible={afterSale} onClose={() => setAfterSale(false)}
            titles={new Map(o.lines.map((l) => [l.id, `${l.productTitle} ${l.skuName}`]))}
            onDone={() => { setAfterSale(false); refunds.reload(); order.reload(); }} />
        )}
      </div>
    )}</Async>
  );
}

// Quote → place → pay, in a sheet: the shopper sees every price step with its reason, places the
// order (idempotency key: a double tap never makes two orders) and pays in the cashier without
// leaving the page; the order is polled until the payment lands.
import { Button, List, Radio, Result, Space, Switch, Toast } from 'antd-mobile';
import { useEffect, useMemo, useState } from 'react';
import { api, call, errorText, useSession, yuan } from '../api.ts';
import { t } from '../i18n.ts';
import { AddressForm } from './AddressForm.tsx';
import { Async, useAsync } from './Async.tsx';
import { LoginForm } from './LoginForm.tsx';

export interface BasketItem { skuId: number; quantity: number }

export type DealOptions = { flashSaleItemId?: number; flashToken?: string; groupBuy?: { dealId: number; groupId?: number | null }; bargainId?: number };

export function Checkout(props: { items: BasketItem[]; roomId?: number | null; deal?: DealOptions; onPaid?: (orderIds: number[]) => void; onClose?: () => void }) {
  const user = useSession();
  if (!user) return <LoginForm />;
  return <CheckoutSignedIn {...props} />;
}

function CheckoutSignedIn(props: { items: BasketItem[]; roomId?: number | null; deal?: DealOptions; onPaid?: (orderIds: number[]) => void; onClose?: () => void }) {
  const [usePoints, setUsePoints] = useState(false);
  const deal = props.deal ?? {};
  const dealQuote = { ...(deal.flashSaleItemId ? { flashSaleItemId: deal.flashSaleItemId } : {}), ...(deal.groupBuy ? { groupBuy: deal.groupBuy } : {}), ...(deal.bargainId ? { bargainId: deal.bargainId } : {}) };
  const addresses = useAsync(() => call(() => api.GET('/api/me/addresses')), []);
  const [addressId, setAddressId] = useState<number | null>(null);
  const [placed, setPlaced] = useState<{ orderIds: number[]; cashierUrl: string | null } | null>(null);
  const [paid, setPaid] = useState(false);
  const idempotencyKey = useMemo(() => crypto.randomUUID(), []);
  const chosen = addressId ?? addresses.data?.find((a) => a.isDefault)?.id ?? addresses.data?.[0]?.id ?? null;

  const quote = useAsync(async () => (chosen ? call(() => api.POST('/api/checkout/quote', { body: { items: props.items, addressId: chosen, roomId: props.roomId ?? null } })) : null), [chosen, JSON.stringify(props.items)]);

  useEffect(() => {
    if (!placed || paid) return;
    const timer = setInterval(async () => {
      const orders = await Promise.all(placed.orderIds.map((id) => call(() => api.GET('/api/orders/{orderId}', { params: { path: { orderId: id } } })).catch(() => null)));
      if (orders.every((o) => o && o.status === 'paid')) { setPaid(true); props.onPaid?.(placed.orderIds); }
    }, 1000);
    return () => clearInterval(timer);
  }, [placed, paid]);

  const place = async () => {
    try {
      const q = quote.data;
      const r = await call(() => api.POST('/api/orders', { body: { idempotencyKey, items: props.items, addressId: chosen!, roomId: props.roomId ?? null, usePoints, ...dealQuote, ...(deal.flashToken ? { flashToken: deal.flashToken } : {}), ...(q ? { quoteToken: q.quoteToken } : {}) } }));
      setPlaced({ orderIds: r.orders.map((o) => o.orderId), cashierUrl: r.payment?.cashierUrl ?? null });
    } catch (e) { Toast.show({ content: errorText(e) }); }
  };

  if (paid) {
    return (
      <Result status="success" title={<span data-testid="paid">{t('支付成功')}</span>} description={
        <Space>
          <a href={`${import.meta.env.BASE_URL}orders`}>{t('查看订单')}</a>
          {props.onClose && <a onClick={props.onClose}>{t('继续看直播')}</a>}
        </Space>
      } />
    );
  }
  if (placed?.cashierUrl) {
    return (
      <div>
        <div className="sheet-title">{t('收银台')}</div>
        <iframe title="cashier" className="cashier" src={placed.cashierUrl} data-testid="cashier" />
      </div>
    );
  }
  return (
    <div>
      <div className="sheet-title">{t('确认订单')}</div>
      <Async state={addresses}>{(list) => list.length === 0 ? (
        <List header={t('添加地址')}><AddressForm onSaved={(id) => { setAddressId(id); addresses.reload(); }} /></List>
      ) : (
        <List header={t('收货地址')}>
          <Radio.Group value={chosen} onChange={(v) => setAddressId(v as number)}>
            {list.map((a) => <List.Item key={a.id}><Radio value={a.id}>{a.name} {a.phone} · {a.province}{a.city}{a.district}{a.detail}</Radio></List.Item>)}
          </Radio.Group>
        </List>
      )}</Async>
      {chosen && (
        <Async state={quote}>{(q) => q && (
          <>
            {q.groups.map((g) => (
              <List key={g.merchantId}>
                {g.lines.map((l) => (
                  <List.Item key={l.lineId} prefix={l.imageUrl ? <img className="thumb" src={l.imageUrl} alt="" /> : null}
                    description={<>{l.skuName} × {l.quantity}{l.adjustments.map((a, i) => <div key={i} className="reason">{a.reason} {yuan(a.amountFen)}</div>)}</>}
                    extra={yuan(l.payableFen)}>{l.productTitle}</List.Item>
                ))}
                {g.charges.map((c, i) => <List.Item key={i} extra={yuan(c.amountFen)}>{c.reason}</List.Item>)}
              </List>
            ))}
            {q.notes.map((n, i) => <div key={i} className="reason">{n}</div>)}
            <List>
              <List.Item extra={yuan(q.goodsFen)}>{t('商品金额')}</List.Item>
              <List.Item extra={`-${yuan(q.discountFen)}`}>{t('优惠')}</List.Item>
              <List.Item extra={yuan(q.shippingFen)}>{t('运费')}</List.Item>
              <List.Item extra={<Switch checked={usePoints} onChange={setUsePoints} data-testid="use-points" />}>{t('积分抵扣')}</List.Item>
              <List.Item extra={<b data-testid="quote-total">{yuan(q.totalFen)}</b>}>{t('实付')}</List.Item>
            </List>
            <div className="sheet-footer"><Button block color="primary" onClick={place} data-testid="place-order" disabled={q.undeliverable.length > 0}>{t('提交订单')} {yuan(q.totalFen)}</Button></div>
          </>
        )}</Async>
      )}
    </div>
  );
}

// Quote → place → pay, in a sheet. One CheckoutRequest (deal, points, coupons, room, address) is
// quoted, quoted again whenever the shopper changes any of it, and placed with that quote's token,
// so the total shown is the payment the cashier asks for. Placing waits for a quote of exactly
// what is on screen; the idempotency key follows the request, so a double tap is one order.
import { Button, List, Radio, Result, Space, Switch, Toast } from 'antd-mobile';
import { useEffect, useMemo, useState } from 'react';
import { ApiFailure, api, call, useSession, yuan } from '../api.ts';
import { errorMessage, t } from '../i18n.ts';
import { AddressForm } from './AddressForm.tsx';
import { Async, useAsync } from './Async.tsx';
import { checkoutRequest, type BasketItem, type DealOptions, type Quote } from './checkout-request.ts';
import { CouponPicker } from './CouponPicker.tsx';
import { LoginForm } from './LoginForm.tsx';

export type { BasketItem, DealOptions } from './checkout-request.ts';

interface CheckoutProps {
  items: BasketItem[]; roomId?: number | null; deal?: DealOptions;
  onPaid?: (orderIds: number[]) => void; onClose?: () => void;
}
interface Placed { orderIds: number[]; cashierUrl: string | null; amountFen: number }

export function Checkout(props: CheckoutProps) {
  const user = useSession();
  if (!user) return <LoginForm />;
  return <CheckoutSignedIn {...props} />;
}

function CheckoutSignedIn(props: CheckoutProps) {
  const addresses = useAsync(() => call(() => api.GET('/api/me/addresses')), []);
  const [addressId, setAddressId] = useState<number | null>(null);
  const [couponIds, setCouponIds] = useState<number[] | undefined>(undefined);
  const [usePoints, setUsePoints] = useState(false);
  const [placing, setPlacing] = useState(false);
  const [placed, setPlaced] = useState<Placed | null>(null);
  const [paid, setPaid] = useState(false);
  const chosen = addressId ?? addresses.data?.find((a) => a.isDefault)?.id ?? addresses.data?.[0]?.id ?? null;

  const request = chosen
    ? checkoutRequest({ items: props.items, addressId: chosen, roomId: props.roomId, deal: props.deal, couponIds, usePoints })
    : null;
  const key = JSON.stringify(request);
  const quote = useAsync(async () => {
    if (!request) return null;
    return { key, q: await call(() => api.POST('/api/checkout/quote', { body: request })) };
  }, [key]);
  // The quote on screen may be the previous request's for a moment: placing waits for this one's.
  const fresh = !quote.loading && quote.data?.key === key ? quote.data.q : null;
  const idempotencyKey = useMemo(() => crypto.randomUUID(), [key]);

  useEffect(() => {
    if (!placed || paid) return;
    const timer = setInterval(async () => {
      const orders = await Promise.all(placed.orderIds.map((orderId) =>
        call(() => api.GET('/api/orders/{orderId}', { params: { path: { orderId } } })).catch(() => null)));
      if (orders.every((o) => o && o.status === 'paid')) { setPaid(true); props.onPaid?.(placed.orderIds); }
    }, 1000);
    return () => clearInterval(timer);
  }, [placed, paid]);

  const place = async () => {
    if (!request || !fresh || placing) return;
    setPlacing(true);
    try {
      const body = { ...request, idempotencyKey, quoteToken: fresh.quoteToken };
      const r = await call(() => api.POST('/api/orders', { body }));
      const { payment } = r;
      setPlaced({ orderIds: r.orders.map((o) => o.orderId), cashierUrl: payment?.cashierUrl ?? null, amountFen: payment?.amountFen ?? 0 });
    } catch (e) {
      Toast.show({ content: errorMessage(e) });
      // The price or the shopper's coupons/points moved: show the new quote to confirm.
      if (e instanceof ApiFailure && e.status < 500) quote.reload();
    } finally { setPlacing(false); }
  };
  const reset = () => {
    if (couponIds === undefined && !usePoints) quote.reload();
    setCouponIds(undefined);
    setUsePoints(false);
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
  if (placed) {
    return (
      <div>
        <div className="sheet-title">
          {t('收银台')} <span className="price" data-testid="payment-amount">{yuan(placed.amountFen)}</span>
        </div>
        {placed.cashierUrl
          ? <iframe title="cashier" className="cashier" src={placed.cashierUrl} data-testid="cashier" />
          : <div className="center">{t('支付中')}</div>}
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
            {list.map((a) => (
              <List.Item key={a.id}>
                <Radio value={a.id} data-testid="address-option">{a.name} {a.phone} · {a.province}{a.city}{a.district}{a.detail}</Radio>
              </List.Item>
            ))}
          </Radio.Group>
        </List>
      )}</Async>
      {chosen && quote.error !== undefined && (
        <div className="center" data-testid="quote-error">
          <div className="reason">{errorMessage(quote.error)}</div>
          <Button size="small" onClick={reset}>{t('重新计算')}</Button>
        </div>
      )}
      {chosen && quote.error === undefined && (
        <Async state={{ ...quote, data: quote.data?.q }}>{(q) => (
          <QuoteView quote={q} fresh={fresh !== null} usePoints={usePoints} placing={placing}
            onPoints={setUsePoints} onCoupons={setCouponIds} onPlace={() => void place()} />
        )}</Async>
      )}
    </div>
  );
}

interface QuoteViewProps {
  quote: Quote; fresh: boolean; usePoints: boolean; placing: boolean;
  onPoints(v: boolean): void; onCoupons(ids: number[] | undefined): void; onPlace(): void;
}

function QuoteView(props: QuoteViewProps) {
  const { quote: q, usePoints } = props;
  const pts = q.points;
  const pointsHint = pts.reason
    ?? (usePoints ? `${t('已用')}${pts.used}${t('积分')}` : `${t('共')}${pts.balance}${t('积分')}，${t('本单可用')}${pts.usable}`);
  return (
    <div data-testid="quote" data-fresh={props.fresh}>
      {q.groups.map((g) => (
        <List key={g.merchantId}>
          {g.lines.map((l) => (
            <List.Item key={l.lineId} prefix={l.imageUrl ? <img className="thumb" src={l.imageUrl} alt="" /> : null}
              description={<>
                {l.skuName} <span data-testid="line-unit">{yuan(l.unitPriceFen)}</span> × {l.quantity}
                {l.adjustments.map((a, i) => <div key={i} className="reason">{a.reason} {yuan(a.amountFen)}</div>)}
              </>}
              extra={<span data-testid="line-payable">{yuan(l.payableFen)}</span>}>{l.productTitle}</List.Item>
          ))}
          {g.charges.map((c, i) => <List.Item key={i} extra={yuan(c.amountFen)}>{c.reason}</List.Item>)}
        </List>
      ))}
      {q.undeliverable.map((u, i) => <div key={i} className="reason" data-testid="undeliverable">{u.reason}</div>)}
      {q.notes.map((n, i) => <div key={i} className="reason">{n}</div>)}
      <CouponPicker quote={q} onChange={props.onCoupons} />
      <List>
        <List.Item extra={yuan(q.goodsFen)}>{t('商品金额')}</List.Item>
        <List.Item extra={<span data-testid="quote-discount">-{yuan(q.discountFen)}</span>}>{t('优惠')}</List.Item>
        <List.Item extra={yuan(q.shippingFen)}>{t('运费')}</List.Item>
        <List.Item description={<span data-testid="points-hint">{pointsHint}</span>}
          extra={<Switch checked={usePoints} disabled={!usePoints && pts.usable === 0} onChange={props.onPoints}
            data-testid="use-points" />}>
          {t('积分抵扣')} {pts.deductedFen > 0 && <span className="price">-{yuan(pts.deductedFen)}</span>}
        </List.Item>
        <List.Item extra={<b data-testid="quote-total">{yuan(q.totalFen)}</b>}>{t('实付')}</List.Item>
      </List>
      <div className="sheet-footer">
        <Button block color="primary" onClick={props.onPlace} data-testid="place-order" loading={props.placing}
          disabled={!props.fresh || q.undeliverable.length > 0}>
          {props.fresh ? `${t('提交订单')} ${yuan(q.totalFen)}` : t('计算中')}
        </Button>
      </div>
    </div>
  );
}

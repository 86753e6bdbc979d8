// Quote → place → pay, in a sheet. One CheckoutRequest (deal, points, coupons, room, address) is
// quoted, quoted again whenever the shopper changes any of it, and placed with that quote's token,
// so the total shown is the payment the cashier asks for. Placing waits for a quote of exactly
// what is on screen; the idempotency key follows the request, so a double tap is one order.
import { useLabels } from '@livemall/sdk';
import { keepPreviousData, useQueries } from '@tanstack/react-query';
import { Button, List, Radio, Result, Space, Switch, Toast } from 'antd-mobile';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { $api, ApiFailure, useSession, yuan } from '../api.ts';
import { errorMessage } from '../i18n.ts';
import { AddressForm } from './AddressForm.tsx';
import { Async } from './Async.tsx';
import { checkoutRequest, type BasketItem, type DealOptions, type Quote } from './checkout-request.ts';
import { CouponPicker } from './CouponPicker.tsx';
import { LoginForm } from './LoginForm.tsx';
import { PayChooser } from './PayChooser.tsx';

export type { BasketItem, DealOptions } from './checkout-request.ts';

interface CheckoutProps {
  items: BasketItem[];
  roomId?: number | null;
  deal?: DealOptions;
  onPaid?: (orderIds: number[]) => void;
  onClose?: () => void;
  /** Opened from the cart: the ordered lines leave it once the order is placed. */
  fromCart?: boolean;
}
interface Placed {
  orderIds: number[];
  paymentNo: string | null;
  cashierUrl: string | null;
  amountFen: number;
}

export function Checkout(props: CheckoutProps) {
  const user = useSession();
  if (!user) return <LoginForm />;
  return <CheckoutSignedIn {...props} />;
}

function CheckoutSignedIn(props: CheckoutProps) {
  const { t } = useTranslation();
  const addresses = $api.useQuery('get', '/api/me/addresses');
  const placeOrder = $api.useMutation('post', '/api/orders');
  const [addressId, setAddressId] = useState<number | null>(null);
  const [couponIds, setCouponIds] = useState<number[] | undefined>(undefined);
  const [usePoints, setUsePoints] = useState(false);
  const [placing, setPlacing] = useState(false);
  const [placed, setPlaced] = useState<Placed | null>(null);
  const chosen = addressId ?? addresses.data?.find((a) => a.isDefault)?.id ?? addresses.data?.[0]?.id ?? null;

  const request = chosen
    ? checkoutRequest({
        items: props.items,
        addressId: chosen,
        roomId: props.roomId,
        deal: props.deal,
        couponIds,
        usePoints,
      })
    : null;
  const key = JSON.stringify(request);
  // A quote is a computation on what is on screen (POST, keyed by the request); while the next one
  // loads the previous stays on screen, marked not fresh.
  const quote = $api.useQuery(
    'post',
    '/api/checkout/quote',
    { body: request! },
    { enabled: request !== null, placeholderData: keepPreviousData },
  );
  // The quote on screen may be the previous request's for a moment: placing waits for this one's.
  const fresh = quote.isSuccess && !quote.isPlaceholderData && !quote.isFetching ? quote.data : null;
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new key for each new basket, the same for retries of one
  const idempotencyKey = useMemo(() => crypto.randomUUID(), [key]);

  // Once placed, each order is asked for every second until the cashier's payment has landed.
  const orders = useQueries({
    queries: (placed?.orderIds ?? []).map((orderId) =>
      $api.queryOptions(
        'get',
        '/api/orders/{orderId}',
        { params: { path: { orderId } } },
        { refetchInterval: (q) => (q.state.data?.status === 'paid' ? false : 1000) },
      ),
    ),
  });
  const paid = orders.length > 0 && orders.every((o) => o.data?.status === 'paid');
  // biome-ignore lint/correctness/useExhaustiveDependencies: told once, when the orders become paid
  useEffect(() => {
    if (paid && placed) props.onPaid?.(placed.orderIds);
  }, [paid]);

  const place = async () => {
    if (!request || !fresh || placing) return;
    setPlacing(true);
    try {
      const body = { ...request, idempotencyKey, quoteToken: fresh.quoteToken, fromCart: props.fromCart };
      const r = await placeOrder.mutateAsync({ body });
      const { payment } = r;
      setPlaced({
        orderIds: r.orders.map((o) => o.orderId),
        paymentNo: payment?.paymentNo ?? null,
        cashierUrl: payment?.cashierUrl ?? null,
        amountFen: payment?.amountFen ?? 0,
      });
    } catch (e) {
      Toast.show({ content: errorMessage(e) });
      // The price or the shopper's coupons/points moved: show the new quote to confirm.
      if (e instanceof ApiFailure && e.status < 500) void quote.refetch();
    } finally {
      setPlacing(false);
    }
  };
  const reset = () => {
    if (couponIds === undefined && !usePoints) void quote.refetch();
    setCouponIds(undefined);
    setUsePoints(false);
  };

  if (paid) {
    return (
      <Result
        status="success"
        title={<span data-testid="paid">{t('checkout.paid')}</span>}
        description={
          <Space>
            <a href={`${import.meta.env.BASE_URL}orders`}>{t('checkout.viewOrders')}</a>
            {props.onClose && (
              <button type="button" className="link-button" onClick={props.onClose}>
                {t('checkout.backToShow')}
              </button>
            )}
          </Space>
        }
      />
    );
  }
  if (placed) {
    return (
      <div>
        <div className="sheet-title">
          {t('checkout.cashier')}{' '}
          <span className="price" data-testid="payment-amount">
            {yuan(placed.amountFen)}
          </span>
        </div>
        {placed.paymentNo ? (
          <PayChooser
            paymentNo={placed.paymentNo}
            cashierUrl={placed.cashierUrl}
            returnPath={`${import.meta.env.BASE_URL}orders`}
          />
        ) : (
          <div className="center">{t('checkout.paying')}</div>
        )}
      </div>
    );
  }
  return (
    <div>
      <div className="sheet-title">{t('checkout.title')}</div>
      <Async query={addresses}>
        {(list) =>
          list.length === 0 ? (
            <List header={t('me.addAddress')}>
              <AddressForm onSaved={(id) => setAddressId(id)} />
            </List>
          ) : (
            <List header={t('checkout.address')}>
              <Radio.Group value={chosen} onChange={(v) => setAddressId(v as number)}>
                {list.map((a) => (
                  <List.Item key={a.id}>
                    <Radio value={a.id} data-testid="address-option">
                      {a.name} {a.phone} · {a.province}
                      {a.city}
                      {a.district}
                      {a.detail}
                    </Radio>
                  </List.Item>
                ))}
              </Radio.Group>
            </List>
          )
        }
      </Async>
      {chosen && quote.error && (
        <div className="center" data-testid="quote-error">
          <div className="reason">{errorMessage(quote.error)}</div>
          <Button size="small" onClick={reset}>
            {t('checkout.recalculate')}
          </Button>
        </div>
      )}
      {chosen && !quote.error && (
        <Async query={quote}>
          {(q) => (
            <QuoteView
              quote={q}
              fresh={fresh !== null}
              usePoints={usePoints}
              placing={placing}
              onPoints={setUsePoints}
              onCoupons={setCouponIds}
              onPlace={() => void place()}
            />
          )}
        </Async>
      )}
    </div>
  );
}

interface QuoteViewProps {
  quote: Quote;
  fresh: boolean;
  usePoints: boolean;
  placing: boolean;
  onPoints(v: boolean): void;
  onCoupons(ids: number[] | undefined): void;
  onPlace(): void;
}

function QuoteView(props: QuoteViewProps) {
  const { quote: q, usePoints } = props;
  const { t } = useTranslation();
  const labels = useLabels();
  const pts = q.points;
  const pointsHint =
    pts.reason !== null
      ? labels.server(pts.reason)
      : usePoints
        ? t('checkout.pointsUsed', { n: pts.used })
        : t('checkout.pointsUsable', { balance: pts.balance, usable: pts.usable });
  return (
    <div data-testid="quote" data-fresh={props.fresh}>
      {q.groups.map((g) => (
        <List key={g.merchantId}>
          {g.lines.map((l) => (
            <List.Item
              key={l.lineId}
              prefix={l.imageUrl ? <img className="thumb" src={l.imageUrl} alt="" /> : null}
              description={
                <>
                  {l.skuName} <span data-testid="line-unit">{yuan(l.unitPriceFen)}</span> × {l.quantity}
                  {l.adjustments.map((a, i) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: the quote's breakdown, replaced whole with each quote
                    <div key={i} className="reason">
                      {labels.server(a.reason)} {yuan(a.amountFen)}
                    </div>
                  ))}
                </>
              }
              extra={<span data-testid="line-payable">{yuan(l.payableFen)}</span>}
            >
              {l.productTitle}
            </List.Item>
          ))}
          {g.charges.map((c, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: the quote's breakdown, replaced whole with each quote
            <List.Item key={i} extra={yuan(c.amountFen)}>
              {labels.server(c.reason)}
            </List.Item>
          ))}
        </List>
      ))}
      {q.undeliverable.map((u, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: the quote's breakdown, replaced whole with each quote
        <div key={i} className="reason" data-testid="undeliverable">
          {labels.server(u.reason)}
        </div>
      ))}
      {q.notes.map((n, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: the quote's breakdown, replaced whole with each quote
        <div key={i} className="reason">
          {labels.server(n)}
        </div>
      ))}
      <CouponPicker quote={q} onChange={props.onCoupons} />
      <List>
        <List.Item extra={yuan(q.goodsFen)}>{t('checkout.goods')}</List.Item>
        <List.Item extra={<span data-testid="quote-discount">-{yuan(q.discountFen)}</span>}>
          {t('checkout.discount')}
        </List.Item>
        <List.Item extra={yuan(q.shippingFen)}>{t('checkout.shipping')}</List.Item>
        <List.Item
          description={<span data-testid="points-hint">{pointsHint}</span>}
          extra={
            <Switch
              checked={usePoints}
              disabled={!usePoints && pts.usable === 0}
              onChange={props.onPoints}
              data-testid="use-points"
            />
          }
        >
          {t('checkout.points')} {pts.deductedFen > 0 && <span className="price">-{yuan(pts.deductedFen)}</span>}
        </List.Item>
        <List.Item extra={<b data-testid="quote-total">{yuan(q.totalFen)}</b>}>{t('checkout.total')}</List.Item>
      </List>
      <div className="sheet-footer">
        <Button
          block
          color="primary"
          onClick={props.onPlace}
          data-testid="place-order"
          loading={props.placing}
          disabled={!props.fresh || q.undeliverable.length > 0}
        >
          {props.fresh ? t('checkout.placeOrder', { amount: yuan(q.totalFen) }) : t('checkout.calculating')}
        </Button>
      </div>
    </div>
  );
}

// SKU picker, then checkout, in one bottom sheet (the room's video keeps playing behind it).
import { Button, Popup, Selector, Stepper, Toast } from 'antd-mobile';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { $api, errorText, useSession, yuan } from '../api.ts';
import { Async } from './Async.tsx';
import { Checkout } from './Checkout.tsx';
import { track } from '../track.ts';

export function BuySheet(props: { productId: number | null; roomId?: number | null; onClose(): void }) {
  return (
    // In a live room the sheet stops at about half the screen over a light mask: the show stays visible.
    <Popup
      visible={props.productId !== null}
      onMaskClick={props.onClose}
      bodyClassName={props.roomId ? 'sheet room-sheet' : 'sheet'}
      maskStyle={props.roomId ? { background: 'rgba(0, 0, 0, 0.15)' } : undefined}
      destroyOnClose
    >
      {props.productId !== null && (
        <SkuAndCheckout productId={props.productId} roomId={props.roomId ?? null} onClose={props.onClose} />
      )}
    </Popup>
  );
}

function SkuAndCheckout(props: { productId: number; roomId: number | null; onClose(): void }) {
  const { t } = useTranslation();
  const product = $api.useQuery('get', '/api/products/{productId}', {
    params: { path: { productId: props.productId } },
  });
  const addItem = $api.useMutation('post', '/api/cart/items');
  const [picked, setPicked] = useState<Record<string, string>>({});
  const [qty, setQty] = useState(1);
  const [checkout, setCheckout] = useState(false);
  const user = useSession();
  useEffect(() => {
    track('product_click', { productId: props.productId, roomId: props.roomId });
  }, [props.productId, props.roomId]);
  return (
    <Async query={product}>
      {(p) => {
        const sku =
          p.skus.find((s) => s.enabled && p.specs.every((sp, i) => picked[sp.name] === s.specValues[i])) ??
          (p.specs.length === 0 ? p.skus[0] : undefined);
        if (checkout && sku) {
          return <Checkout items={[{ skuId: sku.id, quantity: qty }]} roomId={props.roomId} onClose={props.onClose} />;
        }
        const addToCart = async () => {
          if (!sku) return;
          try {
            await addItem.mutateAsync({ body: { skuId: sku.id, quantity: qty } });
            track('add_to_cart', { productId: props.productId, roomId: props.roomId });
            Toast.show({ content: t('sku.added') });
          } catch (e) {
            Toast.show({ content: errorText(e) });
          }
        };
        const buyNow = () => {
          track('checkout_start', { productId: props.productId, roomId: props.roomId });
          setCheckout(true);
        };
        return (
          <div data-testid="sku-picker">
            <div className="sku-head">
              {p.coverUrl && <img className="thumb-lg" src={p.coverUrl} alt="" />}
              <div>
                <div className="price">
                  {sku ? yuan(sku.priceFen) : yuan(Math.min(...p.skus.map((s) => s.priceFen)))}
                </div>
                <div className="muted">{sku ? t('sku.stock', { n: sku.stock }) : t('sku.choose')}</div>
                <div>{p.title}</div>
              </div>
            </div>
            {p.specs.map((sp) => (
              <div key={sp.name} className="spec">
                <div className="muted">{sp.name}</div>
                <Selector
                  columns={3}
                  value={picked[sp.name] ? [picked[sp.name]!] : []}
                  onChange={(v) => setPicked({ ...picked, [sp.name]: v[0]! })}
                  options={sp.values.map((v) => ({ label: v, value: v }))}
                />
              </div>
            ))}
            <div className="spec row">
              <span>{t('sku.quantity')}</span>
              <Stepper min={1} max={Math.max(1, sku?.stock ?? 1)} value={qty} onChange={setQty} />
            </div>
            <div className="sheet-footer row">
              {user && (
                <Button fill="outline" color="primary" disabled={!sku} onClick={addToCart}>
                  {t('sku.addToCart')}
                </Button>
              )}
              <Button block color="primary" disabled={!sku || sku.stock < qty} onClick={buyNow} data-testid="buy-now">
                {t('sku.buyNow')}
              </Button>
            </div>
          </div>
        );
      }}
    </Async>
  );
}

import { Button, Checkbox, List, Popup, Stepper, SwipeAction, Tag } from 'antd-mobile';
import { useState } from 'react';
import { api, call, useSession, yuan } from '../api.ts';
import { Async, useAsync } from '../components/Async.tsx';
import { Checkout } from '../components/Checkout.tsx';
import { LoginForm } from '../components/LoginForm.tsx';
import { t } from '../i18n.ts';

export function Cart() {
  const user = useSession();
  if (!user) return <div className="page"><LoginForm /></div>;
  return <SignedInCart />;
}

function SignedInCart() {
  const cart = useAsync(() => call(() => api.GET('/api/cart')), []);
  const [checkout, setCheckout] = useState<Array<{ skuId: number; quantity: number }> | null>(null);
  const update = async (skuId: number, body: { quantity?: number; selected?: boolean }) => { await call(() => api.PATCH('/api/cart/items/{skuId}', { params: { path: { skuId } }, body })); cart.reload(); };
  const remove = async (skuId: number) => { await call(() => api.DELETE('/api/cart/items/{skuId}', { params: { path: { skuId } } })); cart.reload(); };
  return (
    <div className="page">
      <Async state={cart} empty={(c) => c.groups.length === 0}>{(c) => {
        const selected = c.groups.flatMap((g) => g.lines.filter((l) => l.selected && !l.flags.offShelf && !l.flags.outOfStock && !l.flags.insufficientStock));
        const total = c.groups.reduce((s, g) => s + g.selectedTotalFen, 0);
        return (
          <>
            {c.groups.map((g) => (
              <List key={g.merchantId} header={g.merchantName}>
                {g.lines.map((l) => (
                  <SwipeAction key={l.skuId} rightActions={[{ key: 'del', text: '✕', color: 'danger', onClick: () => void remove(l.skuId) }]}>
                    <List.Item prefix={<Checkbox checked={l.selected} onChange={(v) => void update(l.skuId, { selected: v })} />}
                      description={<>{l.skuName} {l.flags.offShelf && <Tag color="default">{t('已下架')}</Tag>}{l.flags.outOfStock && <Tag color="danger">{t('无货')}</Tag>}{l.flags.insufficientStock && <Tag color="warning">{t('库存不足')}</Tag>}{l.flags.repriced && <Tag color="primary">{t('价格变动')}</Tag>}</>}
                      extra={<div className="right"><div className="price">{yuan(l.priceFen)}</div><Stepper min={1} value={l.quantity} onChange={(v) => void update(l.skuId, { quantity: v })} /></div>}>
                      {l.productTitle}
                    </List.Item>
                  </SwipeAction>
                ))}
              </List>
            ))}
            <div className="bottom-bar row"><span className="grow">{t('实付')} <b className="price">{yuan(total)}</b></span>
              <Button color="danger" disabled={selected.length === 0} onClick={() => setCheckout(selected.map((l) => ({ skuId: l.skuId, quantity: l.quantity })))}>{t('结算')} ({selected.length})</Button></div>
          </>
        );
      }}</Async>
      <Popup visible={checkout !== null} onMaskClick={() => setCheckout(null)} bodyClassName="sheet" destroyOnClose>
        {checkout && <Checkout items={checkout} onPaid={() => cart.reload()} onClose={() => setCheckout(null)} />}
      </Popup>
    </div>
  );
}

import { Button, Checkbox, List, Popup, Stepper, SwipeAction, Tag, Toast } from 'antd-mobile';
import { DeleteOutline } from 'antd-mobile-icons';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { $api, errorText, queryClient, useSession, yuan } from '../api.ts';
import { Async } from '../components/Async.tsx';
import { Checkout } from '../components/Checkout.tsx';
import { LoginForm } from '../components/LoginForm.tsx';
import { Thumb } from '../components/Thumb.tsx';

export function Cart() {
  const user = useSession();
  if (!user)
    return (
      <div className="page">
        <LoginForm />
      </div>
    );
  return <SignedInCart />;
}

function SignedInCart() {
  const { t } = useTranslation();
  const cart = $api.useQuery('get', '/api/cart');
  const change = $api.useMutation('patch', '/api/cart/items/{skuId}');
  const drop = $api.useMutation('delete', '/api/cart/items/{skuId}');
  const [checkout, setCheckout] = useState<Array<{ skuId: number; quantity: number }> | null>(null);
  const update = (skuId: number, body: { quantity?: number; selected?: boolean }) =>
    change
      .mutateAsync({ params: { path: { skuId } }, body })
      .catch((e: unknown) => Toast.show({ content: errorText(e) }));
  const remove = (skuId: number) =>
    drop.mutateAsync({ params: { path: { skuId } } }).catch((e: unknown) => Toast.show({ content: errorText(e) }));
  return (
    <div className="page">
      <Async query={cart} empty={(c) => c.groups.length === 0}>
        {(c) => {
          const selected = c.groups.flatMap((g) =>
            g.lines.filter((l) => l.selected && !l.flags.offShelf && !l.flags.outOfStock && !l.flags.insufficientStock),
          );
          const total = c.groups.reduce((s, g) => s + g.selectedTotalFen, 0);
          return (
            <>
              {c.groups.map((g) => (
                <List key={g.merchantId} header={g.merchantName}>
                  {g.lines.map((l) => (
                    <SwipeAction
                      key={l.skuId}
                      rightActions={[
                        {
                          key: 'del',
                          text: <DeleteOutline aria-label={t('common.delete')} />,
                          color: 'danger',
                          onClick: () => void remove(l.skuId),
                        },
                      ]}
                    >
                      <List.Item
                        prefix={
                          <div className="row">
                            <Checkbox checked={l.selected} onChange={(v) => void update(l.skuId, { selected: v })} />
                            <Thumb url={l.imageUrl} />
                          </div>
                        }
                        description={
                          <>
                            {l.skuName} {l.flags.offShelf && <Tag color="default">{t('cart.offShelf')}</Tag>}
                            {l.flags.outOfStock && <Tag color="danger">{t('cart.outOfStock')}</Tag>}
                            {l.flags.insufficientStock && <Tag color="warning">{t('cart.lowStock')}</Tag>}
                            {l.flags.repriced && <Tag color="primary">{t('cart.repriced')}</Tag>}
                          </>
                        }
                        extra={
                          <div className="right">
                            <div className="price">{yuan(l.priceFen)}</div>
                            <Stepper
                              min={1}
                              value={l.quantity}
                              onChange={(v) => void update(l.skuId, { quantity: v })}
                            />
                          </div>
                        }
                      >
                        {l.productTitle}
                      </List.Item>
                    </SwipeAction>
                  ))}
                </List>
              ))}
              <div className="bottom-bar row">
                <span className="grow">
                  {t('checkout.total')} <b className="price">{yuan(total)}</b>
                </span>
                <Button
                  color="danger"
                  disabled={selected.length === 0}
                  onClick={() => setCheckout(selected.map((l) => ({ skuId: l.skuId, quantity: l.quantity })))}
                >
                  {t('cart.checkout', { n: selected.length })}
                </Button>
              </div>
            </>
          );
        }}
      </Async>
      <Popup visible={checkout !== null} onMaskClick={() => setCheckout(null)} bodyClassName="sheet" destroyOnClose>
        {checkout && (
          <Checkout
            items={checkout}
            fromCart
            onClose={() => setCheckout(null)}
            onPaid={() => void queryClient.invalidateQueries({ queryKey: ['get', '/api/cart'] })}
          />
        )}
      </Popup>
    </div>
  );
}

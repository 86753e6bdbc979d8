// The gift panel: coin balance, top-up through the cashier, and sending a gift over the room socket
// (each send carries a ref, so a retried tap never debits twice).
import type { RoomSocket } from '@livemall/sdk';
import { Button, Toast } from 'antd-mobile';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { $api, errorText, queryClient } from '../api.ts';
import { Async } from './Async.tsx';
import { PayChooser } from './PayChooser.tsx';

export function GiftPanel(props: { socket: RoomSocket }) {
  const { t } = useTranslation();
  const gifts = $api.useQuery('get', '/api/gifts');
  const wallet = $api.useQuery('get', '/api/me/wallet');
  const topupM = $api.useMutation('post', '/api/me/wallet/topups');
  const [topupPayment, setTopupPayment] = useState<{ paymentNo: string; cashierUrl: string | null } | null>(null);
  // A gift goes over the socket, not through a mutation: the wallet is refetched by hand.
  const walletChanged = () => queryClient.invalidateQueries({ queryKey: ['get', '/api/me/wallet'] });
  const send = async (giftId: number) => {
    try {
      const r = await props.socket.request('gift', { giftId, quantity: 1, ref: crypto.randomUUID() });
      void walletChanged();
      Toast.show({ content: t('gifts.spent', { n: r.coins }) });
    } catch (e) {
      Toast.show({ content: errorText(e) });
    }
  };
  const topup = async () => {
    try {
      const r = await topupM.mutateAsync({ body: { coins: 100 } });
      setTopupPayment({ paymentNo: r.paymentNo, cashierUrl: r.cashierUrl });
    } catch (e) {
      Toast.show({ content: errorText(e) });
    }
  };
  if (topupPayment) {
    return (
      <div>
        <PayChooser {...topupPayment} returnPath={window.location.pathname} />
        <Button
          block
          onClick={() => {
            setTopupPayment(null);
            void walletChanged();
          }}
        >
          {t('gifts.done')}
        </Button>
      </div>
    );
  }
  return (
    <div>
      <div className="sheet-title">
        {t('gifts.balance')} <Async query={wallet}>{(w) => <b data-testid="coins">{w.balance}</b>}</Async>{' '}
        {t('gifts.coins')}{' '}
        <Button size="mini" onClick={() => void topup()}>
          {t('gifts.topUp', { n: 100 })}
        </Button>
      </div>
      <Async query={gifts} empty={(g) => g.length === 0}>
        {(list) => (
          <div className="gifts">
            {list.map((g) => (
              <button type="button" key={g.id} onClick={() => void send(g.id)}>
                {g.name}
                <br />
                <small>
                  {g.priceCoins} {t('gifts.coins')}
                </small>
              </button>
            ))}
          </div>
        )}
      </Async>
    </div>
  );
}

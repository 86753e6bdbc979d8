// The gift panel: coin balance, top-up through the cashier, and sending a gift over the room socket
// (each send carries a ref, so a retried tap never debits twice).
import type { RoomSocket } from '@livemall/sdk';
import { Button, Toast } from 'antd-mobile';
import { useState } from 'react';
import { api, call, errorText } from '../api.ts';
import { t } from '../i18n.ts';
import { Async, useAsync } from './Async.tsx';

export function GiftPanel(props: { socket: RoomSocket }) {
  const gifts = useAsync(() => call(() => api.GET('/api/gifts')), []);
  const wallet = useAsync(() => call(() => api.GET('/api/me/wallet')), []);
  const [cashier, setCashier] = useState<string | null>(null);
  const send = async (giftId: number) => {
    try {
      const r = await props.socket.request('gift', { giftId, quantity: 1, ref: crypto.randomUUID() });
      wallet.reload();
      Toast.show({ content: `-${r.coins} ${t('钻')}` });
    } catch (e) { Toast.show({ content: errorText(e) }); }
  };
  const topup = async () => {
    try { setCashier((await call(() => api.POST('/api/me/wallet/topups', { body: { coins: 100 } }))).cashierUrl); } catch (e) { Toast.show({ content: errorText(e) }); }
  };
  if (cashier) return <div><iframe title="cashier" className="cashier" src={cashier} /><Button block onClick={() => { setCashier(null); wallet.reload(); }}>OK</Button></div>;
  return (
    <div>
      <div className="sheet-title">{t('余额')} <Async state={wallet}>{(w) => <b data-testid="coins">{w.balance}</b>}</Async> {t('钻')} <Button size="mini" onClick={() => void topup()}>{t('充值')} 100</Button></div>
      <Async state={gifts} empty={(g) => g.length === 0}>{(list) => (
        <div className="gifts">{list.map((g) => <button key={g.id} onClick={() => void send(g.id)}>{g.name}<br /><small>{g.priceCoins} {t('钻')}</small></button>)}</div>
      )}</Async>
    </div>
  );
}

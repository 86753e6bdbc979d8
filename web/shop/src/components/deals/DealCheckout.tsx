// Buying at a deal's price (flash sale, group-buy, bargain): the checkout sheet for one unit of
// the SKU, opened by the deal page and closed with a refetch of what the page shows.
import { Popup } from 'antd-mobile';
import { useState } from 'react';
import { Checkout, type DealOptions } from '../Checkout.tsx';

type Buy = { skuId: number; deal: DealOptions } | null;

/** The sheet and the call that opens it; `afterClose` runs when the shopper closes it. */
export function useDealCheckout(afterClose: () => unknown) {
  const [buy, setBuy] = useState<Buy>(null);
  const onClose = () => {
    setBuy(null);
    void afterClose();
  };
  const sheet = (
    <Popup visible={buy !== null} onMaskClick={onClose} bodyClassName="sheet" destroyOnClose>
      {buy && <Checkout items={[{ skuId: buy.skuId, quantity: 1 }]} deal={buy.deal} onClose={onClose} />}
    </Popup>
  );
  return { open: (skuId: number, deal: DealOptions) => setBuy({ skuId, deal }), sheet };
}

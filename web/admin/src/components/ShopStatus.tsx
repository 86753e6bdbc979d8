// Shop governance in the console: why a shop that is not active cannot go live or add products,
// and what a platform operator may do to a shop in each status (the server's table,
// server/src/modules/identity/merchant-status.ts, decides; this mirrors it for the buttons).
import { Alert } from 'antd';

export type ShopStatus = 'pending' | 'active' | 'suspended' | 'rejected';

const BANNER: Record<Exclude<ShopStatus, 'active'>, { type: 'info' | 'warning' | 'error'; text: string }> = {
  pending: {
    type: 'info',
    text: '店铺待审核：可以先准备商品，审核通过后才能创建直播和推流。 '
      + 'Waiting for approval: prepare your products; rooms and streaming open once approved.',
  },
  suspended: {
    type: 'error',
    text: '店铺已被平台暂停：商品和直播间已对顾客隐藏，不能新建商品或直播。 '
      + 'Suspended by the platform: products and rooms are hidden from shoppers; nothing new can be created.',
  },
  rejected: { type: 'warning', text: '开店申请未通过，请联系平台。 The shop application was rejected; contact the platform.' },
};

/** A banner over every page of a shop that is not active. */
export function ShopStatusBanner({ status }: { status: string }) {
  const b = BANNER[status as Exclude<ShopStatus, 'active'>];
  if (!b) return null;
  const style = { marginBottom: 16 };
  return <Alert type={b.type} showIcon message={b.text} style={style} data-testid="shop-status-banner" />;
}

/** Only an active shop may create rooms, invite or stream. */
export const canBroadcast = (status: string | undefined) => status === 'active';

/** The operator's actions for a shop in `status`: label and the status it leads to. */
export const OPERATOR_ACTIONS: Record<ShopStatus, Array<{ label: string; to: ShopStatus; danger?: boolean }>> = {
  pending: [{ label: '通过 Approve', to: 'active' }, { label: '驳回 Reject', to: 'rejected', danger: true }],
  active: [{ label: '暂停 Suspend', to: 'suspended', danger: true }],
  suspended: [{ label: '恢复 Reinstate', to: 'active' }],
  rejected: [{ label: '通过 Approve', to: 'active' }],
};

export const STATUS_TAG: Record<ShopStatus, [string, string]> = {
  pending: ['待审核 Pending', 'blue'], active: ['营业中 Active', 'green'],
  suspended: ['已暂停 Suspended', 'red'], rejected: ['已驳回 Rejected', 'default'],
};

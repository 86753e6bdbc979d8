// Shop governance in the console: why a shop that is not active cannot go live or add products,
// and what a platform operator may do to a shop in each status (the server's table,
// server/src/modules/identity/merchant-status.ts, decides; this mirrors it for the buttons).
import { Alert } from 'antd';
import { useTranslation } from 'react-i18next';

export type ShopStatus = 'pending' | 'active' | 'suspended' | 'rejected';

const BANNER = {
  pending: { type: 'info', text: 'shopStatus.pending' },
  suspended: { type: 'error', text: 'shopStatus.suspended' },
  rejected: { type: 'warning', text: 'shopStatus.rejected' },
} as const;

/** A banner over every page of a shop that is not active. */
export function ShopStatusBanner({ status }: { status: string }) {
  const { t } = useTranslation();
  const b = BANNER[status as keyof typeof BANNER] as (typeof BANNER)[keyof typeof BANNER] | undefined;
  if (!b) return null;
  const style = { marginBottom: 16 };
  return <Alert type={b.type} showIcon title={t(b.text)} style={style} data-testid="shop-status-banner" />;
}

/** Only an active shop may create rooms, invite or stream. */
export const canBroadcast = (status: string | undefined) => status === 'active';

/** The operator's actions for a shop in `status`: label and the status it leads to. */
export const OPERATOR_ACTIONS: Record<
  ShopStatus,
  Array<{ label: 'approve' | 'reject' | 'suspend' | 'reinstate'; to: ShopStatus; danger?: boolean }>
> = {
  pending: [
    { label: 'approve', to: 'active' },
    { label: 'reject', to: 'rejected', danger: true },
  ],
  active: [{ label: 'suspend', to: 'suspended', danger: true }],
  suspended: [{ label: 'reinstate', to: 'active' }],
  rejected: [{ label: 'approve', to: 'active' }],
};

export const STATUS_COLOR: Record<ShopStatus, string> = {
  pending: 'blue',
  active: 'green',
  suspended: 'red',
  rejected: 'default',
};

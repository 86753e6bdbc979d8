// The checkout sheet's coupon row: the best stack is preselected by the quote; the shopper can
// open the list, pick coupons (one per shop, one platform coupon), go back to the automatic
// choice, or use none. A coupon that does nothing for this basket says why and cannot be picked.
import { Checkbox, List, Tag } from 'antd-mobile';
import { CheckOutline } from 'antd-mobile-icons';
import { useLabels } from '@livemall/sdk';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { yuan } from '../api.ts';
import type { Quote } from './checkout-request.ts';

type Option = Quote['coupons'][number];

/** Picking `c` replaces the coupon it cannot stack with (same shop, or the other platform coupon). */
export function toggleCoupon(quote: Quote, c: Option): number[] {
  const current = quote.appliedCouponIds;
  if (current.includes(c.couponId)) return current.filter((id) => id !== c.couponId);
  const clashes = (id: number) => {
    const o = quote.coupons.find((x) => x.couponId === id);
    return !!o && o.funding === c.funding && (c.funding === 'platform' || o.merchantId === c.merchantId);
  };
  return [...current.filter((id) => !clashes(id)), c.couponId];
}

export function CouponPicker(props: { quote: Quote; onChange(couponIds: number[] | undefined): void }) {
  const { quote } = props;
  const { t } = useTranslation();
  const labels = useLabels();
  const [open, setOpen] = useState(false);
  const applied = quote.coupons.filter((c) => c.applied);
  const saving = applied.reduce((s, c) => s + c.savingFen, 0);
  const usable = quote.coupons.filter((c) => c.reason === null).length;
  const summary = applied.length
    ? `-${yuan(saving)}`
    : usable
      ? t('coupons.usable', { n: usable })
      : t('coupons.noneUsable');
  const none = quote.couponMode === 'chosen' && applied.length === 0;
  return (
    <List>
      <List.Item
        arrow
        onClick={() => setOpen(!open)}
        data-testid="coupon-row"
        description={
          quote.couponMode === 'auto' && applied.length
            ? t('coupons.bestApplied')
            : none
              ? t('coupons.none')
              : undefined
        }
        extra={<span data-testid="coupon-summary">{summary}</span>}
      >
        {t('coupons.row')}
      </List.Item>
      {open && (
        <div data-testid="coupon-picker">
          <List.Item
            onClick={() => props.onChange(undefined)}
            extra={quote.couponMode === 'auto' ? <CheckOutline /> : ''}
            data-testid="coupon-auto"
          >
            {t('coupons.auto')}
          </List.Item>
          {quote.coupons.map((c) => (
            <List.Item
              key={c.couponId}
              disabled={c.reason !== null}
              onClick={() => c.reason === null && props.onChange(toggleCoupon(quote, c))}
              prefix={<Checkbox checked={c.applied} disabled={c.reason !== null} />}
              data-testid="coupon-option"
              data-coupon-id={c.couponId}
              description={labels.server(c.reason ?? c.description)}
              extra={c.savingFen > 0 ? `-${yuan(c.savingFen)}` : ''}
            >
              {c.title}{' '}
              {c.funding === 'platform' && (
                <Tag color="primary" fill="outline">
                  {t('coupons.platform')}
                </Tag>
              )}
            </List.Item>
          ))}
          <List.Item onClick={() => props.onChange([])} extra={none ? <CheckOutline /> : ''} data-testid="coupon-none">
            {t('coupons.none')}
          </List.Item>
        </div>
      )}
    </List>
  );
}

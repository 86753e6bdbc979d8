// What creating a campaign shares: yuan to fen, the picked time range, and the toast after the call.
import { App } from 'antd';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../api.ts';

export type Range = [{ toISOString(): string }, { toISOString(): string }];

/** A yuan amount typed into the form, in integer fen. */
export const fen = (yuanAmount: number) => Math.round(yuanAmount * 100);

/** The picked range as the API's start and end. */
export const when = (range: Range) => ({ startsAt: range[0].toISOString(), endsAt: range[1].toISOString() });

/** A one-SKU campaign's request body: its name and SKU, its own fields, then its time range. */
export const skuDealBody = <Own extends object>(v: { title: string; skuId: number; range: Range }, own: Own) => ({
  title: v.title,
  skuId: v.skuId,
  ...own,
  ...when(v.range),
});

/** Run a create call; say so when it worked, say why when it did not. */
export function useCreateDeal() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  return async (fn: () => Promise<unknown>) => {
    try {
      await fn();
      void message.success(t('marketing.created'));
    } catch (e) {
      void message.error(errorText(e));
    }
  };
}

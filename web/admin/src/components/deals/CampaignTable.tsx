// The list of one kind of SKU campaign (group-buy, bargain): its name, its deal price, the number
// that sets it up, and how it has done so far.
import { Table } from 'antd';
import { useTranslation } from 'react-i18next';
import { yuan } from '../../api.ts';
import { type QueryState, tableState } from '../Loadable.tsx';

export function CampaignTable<R extends { id: number; title: string }>(props: {
  query: QueryState<R[]>;
  price: { title: string; fen(row: R): number };
  setting: { title: string; dataIndex: keyof R & string };
  results(row: R): string;
}) {
  const { t } = useTranslation();
  return (
    <Table<R>
      rowKey="id"
      {...tableState(props.query, (d) => d)}
      columns={[
        { title: t('marketing.campaign'), dataIndex: 'title' },
        { title: props.price.title, render: (_, r) => yuan(props.price.fen(r)) },
        { title: props.setting.title, dataIndex: props.setting.dataIndex },
        { title: t('marketing.results'), render: (_, r) => props.results(r) },
      ]}
    />
  );
}

// The spread (裂变): K (new visitors per sharer) and its decay by level as a chart, and the tree of
// shares — who reached whom — as an expandable table (a share's children are the shares of those it reached).
import { Descriptions, Space, Table } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { $api, yuan } from '../../api.ts';
import { Chart } from '../../components/Chart.tsx';
import { Loadable } from '../../components/Loadable.tsx';
import { useMerchantId } from '../../workspace.tsx';
import { DaysSelect, since } from './Growth.tsx';

type Node = {
  shareId: number;
  parentShareId: number | null;
  depth: number;
  sharerNickname: string | null;
  targetKind: string;
  targetId: number;
  visits: number;
  newVisitors: number;
  orders: number;
  gmvFen: number;
};
type TreeRow = Node & { children?: TreeRow[] };

/** Nests the flat node list under parents; a node whose parent is outside the range is a root. */
export function tree(nodes: Node[]): TreeRow[] {
  const byId = new Map<number, TreeRow>(nodes.map((n) => [n.shareId, { ...n }]));
  const roots: TreeRow[] = [];
  for (const n of byId.values()) {
    const parent = n.parentShareId === null ? undefined : byId.get(n.parentShareId);
    if (!parent) roots.push(n);
    else if (parent.children) parent.children.push(n);
    else parent.children = [n];
  }
  return roots;
}

const KINDS = ['room', 'product', 'group_buy', 'bargain', 'poster', 'promoter', 'invite'] as const;
type Kind = (typeof KINDS)[number];
const kindKey = (k: string) => `growth.targetKind.${KINDS.includes(k as Kind) ? (k as Kind) : 'room'}` as const;

export function Spread() {
  const { t } = useTranslation();
  const merchantId = useMerchantId();
  const [days, setDays] = useState(30);
  const spread = $api.useQuery('get', '/api/merchants/{merchantId}/growth/spread', {
    params: { path: { merchantId }, query: { from: since(days) } },
  });
  return (
    <>
      <Space style={{ marginBottom: 12 }}>
        <DaysSelect value={days} onChange={setDays} />
        <span className="muted">{t('growth.kHint')}</span>
      </Space>
      <Loadable query={spread}>
        {(s) => (
          <>
            <Descriptions size="small" column={4} data-testid="spread-summary">
              <Descriptions.Item label={t('growth.k')}>{s.k.toFixed(2)}</Descriptions.Item>
              <Descriptions.Item label={t('growth.sharers')}>{s.sharers}</Descriptions.Item>
              <Descriptions.Item label={t('growth.newVisitors')}>{s.newVisitors}</Descriptions.Item>
              <Descriptions.Item label={t('growth.maxDepth')}>{s.maxDepth}</Descriptions.Item>
            </Descriptions>
            <Chart
              height={220}
              testId="spread-chart"
              option={{
                tooltip: { trigger: 'axis' },
                legend: { data: [t('growth.k'), t('growth.decay')] },
                xAxis: { type: 'category', data: s.levels.map((l) => t('growth.level', { n: l.depth + 1 })) },
                yAxis: { type: 'value' },
                series: [
                  { name: t('growth.k'), type: 'bar', data: s.levels.map((l) => Number(l.k.toFixed(2))) },
                  {
                    name: t('growth.decay'),
                    type: 'line',
                    data: s.levels.map((l) => (l.decay === null ? null : Number(l.decay.toFixed(2)))),
                  },
                ],
              }}
            />
            <Table
              size="small"
              rowKey="shareId"
              dataSource={tree(s.nodes)}
              pagination={{ pageSize: 20 }}
              data-testid="spread-tree"
              columns={[
                { title: t('growth.sharer'), render: (_, n) => n.sharerNickname ?? t('growth.anonymous') },
                { title: t('growth.depth'), render: (_, n) => t('growth.level', { n: n.depth + 1 }) },
                { title: t('growth.target'), render: (_, n) => `${t(kindKey(n.targetKind))} #${n.targetId}` },
                { title: t('growth.visits'), dataIndex: 'visits' },
                { title: t('growth.newVisitors'), dataIndex: 'newVisitors' },
                { title: t('growth.orders'), dataIndex: 'orders' },
                { title: t('growth.gmv'), render: (_, n) => yuan(n.gmvFen) },
              ]}
            />
          </>
        )}
      </Loadable>
    </>
  );
}

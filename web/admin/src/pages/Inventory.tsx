// Inventory: stock per SKU and warehouse (on hand, reserved by unpaid orders, available), changed
// by a delta with a reason (调整库存), and the ledger of every change with what caused it.
import { Button, Card, Space, Switch, Table, Tabs, Tag } from 'antd';
import { useState } from 'react';
import { api, call } from '../api.ts';
import { StockAdjustModal } from '../components/StockAdjust.tsx';
import { useAsync } from '../components/useAsync.ts';
import { useMerchantId } from '../workspace.tsx';

const REASON_LABELS: Record<string, string> = {
  initial: '初始 Initial', adjust: '调整 Adjust', import: '导入 Import', reserve: '下单预占 Reserved',
  commit: '支付出库 Sold', release: '取消释放 Released', return: '退货入库 Returned',
};

export default function Inventory() {
  const merchantId = useMerchantId();
  const [lowOnly, setLowOnly] = useState(false);
  const [adjusting, setAdjusting] = useState<{ skuId: number; title: string } | null>(null);
  const stock = useAsync(() => call(() => api.GET('/api/merchants/{merchantId}/stock', { params: { path: { merchantId }, query: { lowOnly, pageSize: 100 } } })), [merchantId, lowOnly]);
  const ledger = useAsync(() => call(() => api.GET('/api/merchants/{merchantId}/stock/ledger', { params: { path: { merchantId }, query: { pageSize: 100 } } })), [merchantId]);
  const signed = (n: number) => (n > 0 ? `+${n}` : String(n));
  return (
    <Card title="库存 Inventory">
      <Tabs items={[
        { key: 'stock', label: '库存 Stock', children: (
          <>
            <Space style={{ marginBottom: 12 }}><Switch checked={lowOnly} onChange={setLowOnly} /> 只看低库存 Low stock only</Space>
            <Table rowKey={(r) => `${r.skuId}-${r.warehouseId}`} loading={stock.loading} dataSource={stock.data?.items ?? []} data-testid="stock-table" columns={[
              { title: '商品', render: (_, r) => `${r.productTitle} · ${r.skuName || '默认'}` },
              { title: '仓库', dataIndex: 'warehouseName' },
              { title: '在库 On hand', dataIndex: 'onHand' }, { title: '预占 Reserved', dataIndex: 'reserved' },
              { title: '可售 Available', render: (_, r) => <Space>{r.available}{r.low && <Tag color="red">低库存 low</Tag>}</Space> },
              { title: '', render: (_, r) => <Button size="small" onClick={() => setAdjusting({ skuId: r.skuId, title: `${r.productTitle} · ${r.skuName || '默认'}` })}>调整库存</Button> },
            ]} />
          </>
        ) },
        { key: 'ledger', label: '流水 Ledger', children: (
          <Table rowKey="id" loading={ledger.loading} dataSource={ledger.data?.items ?? []} columns={[
            { title: '时间', render: (_, r) => new Date(r.createdAt).toLocaleString() },
            { title: 'SKU', dataIndex: 'skuId' }, { title: '仓库', dataIndex: 'warehouseId' },
            { title: '在库变动', render: (_, r) => (r.deltaOnHand ? signed(r.deltaOnHand) : '') },
            { title: '预占变动', render: (_, r) => (r.deltaReserved ? signed(r.deltaReserved) : '') },
            { title: '变动后 在库/预占', render: (_, r) => `${r.onHandAfter} / ${r.reservedAfter}` },
            { title: '原因', render: (_, r) => REASON_LABELS[r.reason] ?? r.reason },
            { title: '订单', render: (_, r) => r.orderId ?? '' },
            { title: '备注', render: (_, r) => r.note ?? '' },
          ]} />
        ) },
      ]} />
      {adjusting && (
        <StockAdjustModal merchantId={merchantId} skuId={adjusting.skuId} title={adjusting.title} onClose={() => setAdjusting(null)}
          onDone={() => { setAdjusting(null); stock.reload(); ledger.reload(); }} />
      )}
    </Card>
  );
}

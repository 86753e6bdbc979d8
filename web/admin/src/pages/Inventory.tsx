import { App, Button, Card, InputNumber, Space, Switch, Table, Tabs, Tag } from 'antd';
import { useState } from 'react';
import { api, call, errorText } from '../api.ts';
import { useAsync } from '../components/useAsync.ts';
import { useMerchantId } from '../workspace.tsx';

export default function Inventory() {
  const merchantId = useMerchantId();
  const { message } = App.useApp();
  const [lowOnly, setLowOnly] = useState(false);
  const [edits, setEdits] = useState<Record<number, number>>({});
  const stock = useAsync(() => call(() => api.GET('/api/merchants/{merchantId}/stock', { params: { path: { merchantId }, query: { lowOnly, pageSize: 100 } } })), [merchantId, lowOnly]);
  const ledger = useAsync(() => call(() => api.GET('/api/merchants/{merchantId}/stock/ledger', { params: { path: { merchantId }, query: { pageSize: 100 } } })), [merchantId]);
  const save = async (skuId: number, warehouseId: number) => {
    try {
      await call(() => api.POST('/api/merchants/{merchantId}/stock/adjust', { params: { path: { merchantId } }, body: { skuId, warehouseId, quantity: edits[skuId]!, note: 'console' } }));
      stock.reload(); ledger.reload();
    } catch (e) { void message.error(errorText(e)); }
  };
  return (
    <Card title="库存 Inventory">
      <Tabs items={[
        { key: 'stock', label: '库存 Stock', children: (
          <>
            <Space style={{ marginBottom: 12 }}><Switch checked={lowOnly} onChange={setLowOnly} /> 只看低库存 Low stock only</Space>
            <Table rowKey={(r) => `${r.skuId}-${r.warehouseId}`} loading={stock.loading} dataSource={stock.data?.items ?? []} columns={[
              { title: '商品', render: (_, r) => `${r.productTitle} · ${r.skuName}` },
              { title: '仓库', dataIndex: 'warehouseName' },
              { title: '在库', dataIndex: 'onHand' }, { title: '预占', dataIndex: 'reserved' },
              { title: '可售', render: (_, r) => <Space>{r.available}{r.low && <Tag color="red">低库存 low</Tag>}</Space> },
              { title: '设置在库', render: (_, r) => <Space><InputNumber min={0} value={edits[r.skuId] ?? r.onHand} onChange={(v) => setEdits({ ...edits, [r.skuId]: Number(v ?? 0) })} /><Button size="small" onClick={() => void save(r.skuId, r.warehouseId)}>保存</Button></Space> },
            ]} />
          </>
        ) },
        { key: 'ledger', label: '流水 Ledger', children: <Table rowKey="id" loading={ledger.loading} dataSource={(ledger.data?.items ?? []) as Array<Record<string, unknown> & { id: number }>} columns={Object.keys(ledger.data?.items[0] ?? {}).map((k) => ({ title: k, dataIndex: k, render: (v: unknown) => (typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v ?? '')) }))} /> },
      ]} />
    </Card>
  );
}

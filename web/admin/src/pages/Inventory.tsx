// Inventory: stock per SKU and warehouse (on hand, reserved by unpaid orders, available), changed
// by a delta with a reason (调整库存), and the ledger of every change with what caused it.
import { useLabels } from '@livemall/sdk';
import { Button, Card, Space, Switch, Table, Tabs, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { $api } from '../api.ts';
import { tableState } from '../components/Loadable.tsx';
import { StockAdjustModal } from '../components/StockAdjust.tsx';
import { useMerchantId } from '../workspace.tsx';

export default function Inventory() {
  const { t } = useTranslation();
  const labels = useLabels();
  const merchantId = useMerchantId();
  const [lowOnly, setLowOnly] = useState(false);
  const [adjusting, setAdjusting] = useState<{ skuId: number; title: string } | null>(null);
  const stock = $api.useQuery('get', '/api/merchants/{merchantId}/stock', {
    params: { path: { merchantId }, query: { lowOnly, pageSize: 100 } },
  });
  const ledger = $api.useQuery('get', '/api/merchants/{merchantId}/stock/ledger', {
    params: { path: { merchantId }, query: { pageSize: 100 } },
  });
  const signed = (n: number) => (n > 0 ? `+${n}` : String(n));
  const skuTitle = (r: { productTitle: string; skuName: string }) =>
    `${r.productTitle} · ${r.skuName || t('common.defaultSku')}`;
  return (
    <Card title={t('inventory.title')}>
      <Tabs
        items={[
          {
            key: 'stock',
            label: t('inventory.stock'),
            children: (
              <>
                <Space style={{ marginBottom: 12 }}>
                  <Switch checked={lowOnly} onChange={setLowOnly} /> {t('inventory.lowOnly')}
                </Space>
                <Table
                  rowKey={(r) => `${r.skuId}-${r.warehouseId}`}
                  {...tableState(stock, (d) => d.items)}
                  data-testid="stock-table"
                  columns={[
                    { title: t('inventory.product'), render: (_, r) => skuTitle(r) },
                    { title: t('inventory.warehouse'), dataIndex: 'warehouseName' },
                    { title: t('stock.onHand'), dataIndex: 'onHand' },
                    { title: t('stock.reserved'), dataIndex: 'reserved' },
                    {
                      title: t('stock.available'),
                      render: (_, r) => (
                        <Space>
                          {r.available}
                          {r.low && <Tag color="red">{t('inventory.low')}</Tag>}
                        </Space>
                      ),
                    },
                    {
                      title: '',
                      render: (_, r) => (
                        <Button size="small" onClick={() => setAdjusting({ skuId: r.skuId, title: skuTitle(r) })}>
                          {t('stock.adjust')}
                        </Button>
                      ),
                    },
                  ]}
                />
              </>
            ),
          },
          {
            key: 'ledger',
            label: t('inventory.ledger'),
            children: (
              <Table
                rowKey="id"
                {...tableState(ledger, (d) => d.items)}
                columns={[
                  { title: t('common.time'), render: (_, r) => labels.dateTime(r.createdAt) },
                  { title: 'SKU', dataIndex: 'skuId' },
                  { title: t('inventory.warehouse'), dataIndex: 'warehouseId' },
                  { title: t('inventory.deltaOnHand'), render: (_, r) => (r.deltaOnHand ? signed(r.deltaOnHand) : '') },
                  {
                    title: t('inventory.deltaReserved'),
                    render: (_, r) => (r.deltaReserved ? signed(r.deltaReserved) : ''),
                  },
                  { title: t('inventory.after'), render: (_, r) => `${r.onHandAfter} / ${r.reservedAfter}` },
                  { title: t('inventory.reason'), render: (_, r) => labels.label('stockReason', r.reason) },
                  { title: t('inventory.order'), render: (_, r) => r.orderId ?? '' },
                  { title: t('common.note'), render: (_, r) => r.note ?? '' },
                ]}
              />
            ),
          },
        ]}
      />
      {adjusting && (
        <StockAdjustModal
          merchantId={merchantId}
          skuId={adjusting.skuId}
          title={adjusting.title}
          onClose={() => setAdjusting(null)}
          onDone={() => setAdjusting(null)}
        />
      )}
    </Card>
  );
}

import { useLabels } from '@livemall/sdk';
import { App, Button, Card, Descriptions, Drawer, Form, Input, Select, Space, Table, Tag } from 'antd';
import { CarOutlined } from '@ant-design/icons';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { $api, download, errorText, yuan } from '../api.ts';
import { tableState } from '../components/Loadable.tsx';
import { useMerchantId } from '../workspace.tsx';

const STATUS_COLOR: Record<string, string> = {
  pending_payment: 'orange',
  paid: 'green',
  shipped: 'blue',
  delivered: 'cyan',
  completed: 'default',
  cancelled: 'default',
  refunding: 'red',
  refunded: 'red',
};
type Status = 'pending_payment' | 'paid' | 'shipped' | 'delivered' | 'completed' | 'cancelled' | 'refunded';
const STATUSES: Status[] = ['pending_payment', 'paid', 'shipped', 'delivered', 'completed', 'cancelled', 'refunded'];

export default function Orders() {
  const { t } = useTranslation();
  const labels = useLabels();
  const merchantId = useMerchantId();
  const [filters, setFilters] = useState<{ q?: string; status?: Status }>({});
  const [open, setOpen] = useState<number | null>(null);
  const list = $api.useQuery('get', '/api/merchants/{merchantId}/orders', {
    params: { path: { merchantId }, query: { ...filters, pageSize: 50 } },
  });
  const exportCsv = () => {
    const qs = new URLSearchParams(Object.entries(filters).filter(([, v]) => v) as Array<[string, string]>);
    void download(`/api/merchants/${merchantId}/orders/export.csv?${qs}`, `orders-${merchantId}.csv`);
  };
  return (
    <Card title={t('orders.title')} extra={<Button onClick={exportCsv}>{t('orders.export')}</Button>}>
      <Space style={{ marginBottom: 12 }}>
        <Input.Search
          placeholder={t('orders.search')}
          aria-label={t('orders.search')}
          allowClear
          onSearch={(q) => setFilters({ ...filters, q: q || undefined })}
        />
        <Select
          allowClear
          placeholder={t('common.status')}
          aria-label={t('common.status')}
          style={{ width: 140 }}
          onChange={(status?: Status) => setFilters({ ...filters, status })}
          options={STATUSES.map((value) => ({ value, label: labels.label('orderStatus', value) }))}
        />
      </Space>
      <Table
        rowKey="id"
        {...tableState(list, (d) => d.items)}
        data-testid="orders-table"
        onRow={(r) => ({ onClick: () => setOpen(r.id) })}
        columns={[
          { title: t('orders.orderNo'), dataIndex: 'orderNo' },
          {
            title: t('orders.items'),
            render: (_, r) => r.lines.map((l) => `${l.productTitle}×${l.quantity}`).join('，'),
          },
          { title: t('orders.paid'), render: (_, r) => yuan(r.totalFen) },
          { title: t('common.status'), render: (_, r) => <OrderStatus status={r.status} /> },
          { title: t('orders.room'), dataIndex: 'roomId' },
          { title: t('orders.placedAt'), render: (_, r) => labels.dateTime(r.createdAt) },
        ]}
      />
      <Drawer open={open !== null} width={640} onClose={() => setOpen(null)} title={t('orders.detail')} destroyOnHidden>
        {open !== null && <OrderDetail orderId={open} />}
      </Drawer>
    </Card>
  );
}

function OrderStatus({ status }: { status: string }) {
  const labels = useLabels();
  return (
    <Tag color={STATUS_COLOR[status]} data-status={status}>
      {labels.label('orderStatus', status)}
    </Tag>
  );
}

function OrderDetail(props: { orderId: number }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const merchantId = useMerchantId();
  const { message } = App.useApp();
  const path = { params: { path: { merchantId, orderId: props.orderId } } };
  const order = $api.useQuery('get', '/api/merchants/{merchantId}/orders/{orderId}', path);
  const shipM = $api.useMutation('post', '/api/merchants/{merchantId}/orders/{orderId}/ship');
  const ship = async (body: { carrier: string; trackingNo: string }) => {
    try {
      await shipM.mutateAsync({ ...path, body });
    } catch (e) {
      void message.error(errorText(e));
    }
  };
  const o = order.data;
  if (!o) return null;
  const a = o.address;
  return (
    <>
      <Descriptions column={1} size="small" bordered>
        <Descriptions.Item label={t('orders.orderNo')}>{o.orderNo}</Descriptions.Item>
        <Descriptions.Item label={t('common.status')}>
          <OrderStatus status={o.status} />
        </Descriptions.Item>
        <Descriptions.Item label={t('orders.shipTo')}>
          <span data-testid="order-ship-to">
            {a ? `${a.name} ${a.phone} ${a.province}${a.city}${a.district}${a.detail}` : '-'}
          </span>
          {a?.districtCode && <span style={{ color: '#999' }}> ({a.districtCode})</span>}
        </Descriptions.Item>
      </Descriptions>
      <Table
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={o.lines}
        style={{ margin: '12px 0' }}
        columns={[
          { title: t('orders.items'), render: (_, l) => `${l.productTitle} ${l.skuName} ×${l.quantity}` },
          {
            title: t('orders.breakdown'),
            render: (_, l) =>
              l.adjustments.map((x, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: the server's list for one line, never reordered
                <div key={i}>
                  {labels.server(x.reason)}: {yuan(x.amountFen)}
                </div>
              )),
          },
          { title: t('orders.paid'), render: (_, l) => yuan(l.payableFen) },
        ]}
      />
      {o.charges.map((c, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: the order's charges, never reordered
        <div key={i}>
          {labels.server(c.reason)}: {yuan(c.amountFen)}
        </div>
      ))}
      <p>
        <b>{t('orders.total', { total: yuan(o.totalFen) })}</b>{' '}
        {t('orders.totalParts', {
          goods: yuan(o.goodsFen),
          discount: yuan(o.discountFen),
          shipping: yuan(o.shippingFen),
        })}
      </p>
      {o.shipments.map((s) => (
        <div key={s.id}>
          <CarOutlined /> {s.carrier} {s.trackingNo}
        </div>
      ))}
      {o.status === 'paid' && (
        <Form layout="inline" onFinish={ship} style={{ marginTop: 12 }}>
          <Form.Item label={t('orders.carrier')} name="carrier" rules={[{ required: true }]}>
            <Input />
          </Form.Item>
          <Form.Item label={t('orders.trackingNo')} name="trackingNo" rules={[{ required: true, min: 4 }]}>
            <Input />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={shipM.isPending}>
            {t('orders.ship')}
          </Button>
        </Form>
      )}
    </>
  );
}

import { App, Button, Card, Descriptions, Drawer, Form, Input, Select, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { api, call, download, errorText, yuan } from '../api.ts';
import { useAsync } from '../components/useAsync.ts';
import { useMerchantId } from '../workspace.tsx';

export const STATUS: Record<string, [string, string]> = {
  pending_payment: ['待付款', 'orange'], paid: ['已付款', 'green'], shipped: ['已发货', 'blue'], delivered: ['已签收', 'cyan'], completed: ['已完成', 'default'],
  cancelled: ['已取消', 'default'], refunding: ['退款中', 'red'], refunded: ['已退款', 'red'],
};

export default function Orders() {
  const merchantId = useMerchantId();
  const [filters, setFilters] = useState<{ q?: string; status?: string }>({});
  const [open, setOpen] = useState<number | null>(null);
  const list = useAsync(() => call(() => api.GET('/api/merchants/{merchantId}/orders', { params: { path: { merchantId }, query: { ...filters, status: filters.status as never, pageSize: 50 } } })), [merchantId, JSON.stringify(filters)]);
  const exportCsv = () => {
    const qs = new URLSearchParams(Object.entries(filters).filter(([, v]) => v) as Array<[string, string]>);
    void download(`/api/merchants/${merchantId}/orders/export.csv?${qs}`, `orders-${merchantId}.csv`);
  };
  return (
    <Card title="订单 Orders" extra={<Button onClick={exportCsv}>导出 CSV</Button>}>
      <Space style={{ marginBottom: 12 }}>
        <Input.Search placeholder="订单号 / 买家 / 商品" allowClear onSearch={(q) => setFilters({ ...filters, q: q || undefined })} />
        <Select allowClear placeholder="状态" style={{ width: 140 }} onChange={(status?: string) => setFilters({ ...filters, status })} options={Object.entries(STATUS).map(([value, [label]]) => ({ value, label }))} />
      </Space>
      <Table rowKey="id" loading={list.loading} dataSource={list.data?.items ?? []} data-testid="orders-table" onRow={(r) => ({ onClick: () => setOpen(r.id) })} columns={[
        { title: '订单号', dataIndex: 'orderNo' },
        { title: '商品', render: (_, r) => r.lines.map((l) => `${l.productTitle}×${l.quantity}`).join('，') },
        { title: '实付', render: (_, r) => yuan(r.totalFen) },
        { title: '状态', render: (_, r) => <Tag color={STATUS[r.status]?.[1]}>{STATUS[r.status]?.[0] ?? r.status}</Tag> },
        { title: '直播间', dataIndex: 'roomId' },
        { title: '下单时间', render: (_, r) => new Date(r.createdAt).toLocaleString() },
      ]} />
      <Drawer open={open !== null} width={640} onClose={() => setOpen(null)} title="订单详情" destroyOnHidden>
        {open !== null && <OrderDetail orderId={open} onChanged={list.reload} />}
      </Drawer>
    </Card>
  );
}

function OrderDetail(props: { orderId: number; onChanged(): void }) {
  const merchantId = useMerchantId();
  const { message } = App.useApp();
  const order = useAsync(() => call(() => api.GET('/api/merchants/{merchantId}/orders/{orderId}', { params: { path: { merchantId, orderId: props.orderId } } })), [props.orderId]);
  const ship = async (v: { carrier: string; trackingNo: string }) => {
    try { await call(() => api.POST('/api/merchants/{merchantId}/orders/{orderId}/ship', { params: { path: { merchantId, orderId: props.orderId } }, body: v })); order.reload(); props.onChanged(); } catch (e) { void message.error(errorText(e)); }
  };
  const o = order.data;
  if (!o) return null;
  return (
    <>
      <Descriptions column={1} size="small" bordered>
        <Descriptions.Item label="订单号">{o.orderNo}</Descriptions.Item>
        <Descriptions.Item label="状态"><Tag color={STATUS[o.status]?.[1]}>{STATUS[o.status]?.[0]}</Tag></Descriptions.Item>
        <Descriptions.Item label="收货">{o.address ? `${o.address.name} ${o.address.phone} ${o.address.province}${o.address.city}${o.address.detail}` : '-'}</Descriptions.Item>
      </Descriptions>
      <Table size="small" rowKey="id" pagination={false} dataSource={o.lines} style={{ margin: '12px 0' }} columns={[
        { title: '商品', render: (_, l) => `${l.productTitle} ${l.skuName} ×${l.quantity}` },
        { title: '价格明细 Breakdown', render: (_, l) => l.adjustments.map((a, i) => <div key={i}>{a.reason}: {yuan(a.amountFen)}</div>) },
        { title: '实付', render: (_, l) => yuan(l.payableFen) },
      ]} />
      {o.charges.map((c, i) => <div key={i}>{c.reason}: {yuan(c.amountFen)}</div>)}
      <p><b>合计 {yuan(o.totalFen)}</b>（商品 {yuan(o.goodsFen)} − 优惠 {yuan(o.discountFen)} + 运费 {yuan(o.shippingFen)}）</p>
      {o.shipments.map((s) => <div key={s.id}>📦 {s.carrier} {s.trackingNo}</div>)}
      {o.status === 'paid' && (
        <Form layout="inline" onFinish={ship} style={{ marginTop: 12 }}>
          <Form.Item name="carrier" rules={[{ required: true }]}><Input placeholder="快递公司 Carrier" /></Form.Item>
          <Form.Item name="trackingNo" rules={[{ required: true, min: 4 }]}><Input placeholder="运单号 Tracking no." /></Form.Item>
          <Button type="primary" htmlType="submit">发货 Ship</Button>
        </Form>
      )}
    </>
  );
}

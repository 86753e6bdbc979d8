// Members: the shop's customers with spend and RFM segments; issue a coupon to a whole segment.
import { App, Button, Card, Select, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { api, call, errorText, yuan } from '../api.ts';
import { useAsync } from '../components/useAsync.ts';
import { useMerchantId } from '../workspace.tsx';

const SEGMENTS = { champions: ['重要价值', 'gold'], loyal: ['忠诚', 'green'], new: ['新客', 'blue'], at_risk: ['流失风险', 'orange'], hibernating: ['沉睡', 'default'], others: ['其他', 'default'] } as const;
type Seg = keyof typeof SEGMENTS;

export default function Members() {
  const merchantId = useMerchantId();
  const { message } = App.useApp();
  const [segment, setSegment] = useState<Seg | undefined>();
  const [couponId, setCouponId] = useState<number | undefined>();
  const customers = useAsync(() => call(() => api.GET('/api/merchants/{merchantId}/customers', { params: { path: { merchantId }, query: segment ? { segment } : {} } })), [merchantId, segment]);
  const coupons = useAsync(() => call(() => api.GET('/api/merchants/{merchantId}/coupons', { params: { path: { merchantId } } })), [merchantId]);
  const issue = async () => {
    const userIds = (customers.data ?? []).map((c) => c.userId);
    if (!couponId || !userIds.length) return;
    try {
      const r = await call(() => api.POST('/api/merchants/{merchantId}/coupons/{templateId}/issue', { params: { path: { merchantId, templateId: couponId } }, body: { userIds } }));
      void message.success(`已发放 ${r.issued} 张，跳过 ${r.skipped.length}`);
    } catch (e) { void message.error(errorText(e)); }
  };
  return (
    <Card title="会员 Members" extra={
      <Space>
        <Select allowClear placeholder="人群 Segment" style={{ width: 150 }} value={segment} onChange={setSegment} options={Object.entries(SEGMENTS).map(([value, [label]]) => ({ value, label }))} />
        <Select placeholder="优惠券" style={{ width: 220 }} value={couponId} onChange={setCouponId} options={(coupons.data ?? []).filter((c) => c.channels.includes('staff_issue') && c.status === 'active').map((c) => ({ value: c.id, label: c.title }))} />
        <Button type="primary" disabled={!couponId} onClick={() => void issue()}>向当前人群发券</Button>
      </Space>
    }>
      <Table rowKey="userId" loading={customers.loading} dataSource={customers.data ?? []} columns={[
        { title: '会员', render: (_, c) => `${c.nickname} ${c.phone ?? ''}` },
        { title: '订单', dataIndex: 'orders' }, { title: '消费', render: (_, c) => yuan(c.paidFen) }, { title: '积分', dataIndex: 'points' }, { title: '本店可用券', dataIndex: 'coupons' },
        { title: '最近购买', render: (_, c) => new Date(c.lastPaidAt).toLocaleDateString() },
        { title: 'RFM', render: (_, c) => `${c.rfm.r}-${c.rfm.f}-${c.rfm.m}` },
        { title: '人群', render: (_, c) => { const [label, color] = SEGMENTS[c.segment as Seg] ?? ['', 'default']; return <Tag color={color}>{label}</Tag>; } },
      ]} />
    </Card>
  );
}

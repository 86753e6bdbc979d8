import { App, Button, Card, Space, Table, Tag } from 'antd';
import { api, call, errorText, yuan } from '../api.ts';
import { useAsync } from '../components/useAsync.ts';
import { useMerchantId } from '../workspace.tsx';

export default function Aftersales() {
  const merchantId = useMerchantId();
  const { message, modal } = App.useApp();
  const list = useAsync(() => call(() => api.GET('/api/merchants/{merchantId}/aftersales', { params: { path: { merchantId } } })), [merchantId]);
  const act = async (id: number, what: 'approve' | 'reject' | 'receive') => {
    try {
      const path = { merchantId, aftersaleId: id };
      if (what === 'approve') await call(() => api.POST('/api/merchants/{merchantId}/aftersales/{aftersaleId}/approve', { params: { path } }));
      if (what === 'receive') await call(() => api.POST('/api/merchants/{merchantId}/aftersales/{aftersaleId}/receive', { params: { path } }));
      if (what === 'reject') {
        const ok = await modal.confirm({ title: '拒绝售后 Reject?', content: '买家将看到拒绝原因' });
        if (!ok) return;
        await call(() => api.POST('/api/merchants/{merchantId}/aftersales/{aftersaleId}/reject', { params: { path }, body: { reason: '不符合售后条件' } }));
      }
      list.reload();
    } catch (e) { void message.error(errorText(e)); }
  };
  const items = Array.isArray(list.data) ? list.data : (list.data as { items?: unknown[] } | undefined)?.items ?? [];
  return (
    <Card title="售后 After-sales">
      <Table rowKey="id" loading={list.loading} dataSource={items as Array<{ id: number; aftersaleNo: string; type: string; status: string; reason: string; amountFen: number; orderId: number }>} columns={[
        { title: '单号', dataIndex: 'aftersaleNo' }, { title: '订单', dataIndex: 'orderId' },
        { title: '类型', render: (_, r) => (r.type === 'refund_only' ? '仅退款' : '退货退款') },
        { title: '原因', dataIndex: 'reason' }, { title: '金额', render: (_, r) => yuan(r.amountFen) },
        { title: '状态', render: (_, r) => <Tag>{r.status}</Tag> },
        { title: '操作', render: (_, r) => (
          <Space>
            {r.status === 'requested' && <Button size="small" type="primary" onClick={() => void act(r.id, 'approve')}>同意</Button>}
            {r.status === 'requested' && <Button size="small" danger onClick={() => void act(r.id, 'reject')}>拒绝</Button>}
            {r.status === 'returned' && <Button size="small" onClick={() => void act(r.id, 'receive')}>确认收货并退款</Button>}
          </Space>
        ) },
      ]} />
    </Card>
  );
}

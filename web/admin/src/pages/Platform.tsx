import { App, Button, Card, Form, Input, InputNumber, Select, Space, Table, Tag } from 'antd';
import { api, call, errorText } from '../api.ts';
import { useAsync } from '../components/useAsync.ts';

export default function Platform() {
  const { message } = App.useApp();
  const merchants = useAsync(() => call(() => api.GET('/api/platform/merchants', { params: { query: {} } })), []);
  const onboard = async (v: { name: string; ownerPhone: string }) => {
    try { await call(() => api.POST('/api/platform/merchants', { body: v })); merchants.reload(); } catch (e) { void message.error(errorText(e)); }
  };
  const update = async (merchantId: number, body: { status?: 'active' | 'suspended' | 'pending'; commissionRateBp?: number }) => {
    try { await call(() => api.PATCH('/api/platform/merchants/{merchantId}', { params: { path: { merchantId } }, body: body as never })); merchants.reload(); } catch (e) { void message.error(errorText(e)); }
  };
  const rows = (Array.isArray(merchants.data) ? merchants.data : (merchants.data as { items?: unknown[] } | undefined)?.items ?? []) as Array<{ id: number; name: string; status: string; commissionRateBp: number }>;
  return (
    <Card title="商家 Merchants">
      <Form layout="inline" onFinish={onboard} style={{ marginBottom: 12 }}>
        <Form.Item name="name" rules={[{ required: true }]}><Input placeholder="商家名称 Name" /></Form.Item>
        <Form.Item name="ownerPhone" rules={[{ required: true }]}><Input placeholder="店主手机号 Owner phone" /></Form.Item>
        <Button type="primary" htmlType="submit">入驻 Onboard</Button>
      </Form>
      <Table rowKey="id" loading={merchants.loading} dataSource={rows} columns={[
        { title: 'ID', dataIndex: 'id' }, { title: '名称', dataIndex: 'name' },
        { title: '状态', render: (_, m) => <Select size="small" value={m.status} style={{ width: 130 }} onChange={(status) => void update(m.id, { status: status as never })} options={['pending', 'active', 'suspended'].map((s) => ({ value: s, label: s }))} /> },
        { title: '佣金 Commission', render: (_, m) => <Space><InputNumber size="small" min={0} max={100} step={0.5} defaultValue={m.commissionRateBp / 100} onBlur={(e) => void update(m.id, { commissionRateBp: Math.round(Number(e.target.value) * 100) })} />%</Space> },
        { title: '', render: (_, m) => <Tag color={m.status === 'active' ? 'green' : 'orange'}>{m.status}</Tag> },
      ]} />
    </Card>
  );
}

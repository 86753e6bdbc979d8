// Products: list with filters and shelf actions, the editor (ProductEditor.tsx), CSV import.
import { App, Button, Card, Drawer, Input, Progress, Select, Space, Table, Tag, Upload } from 'antd';
import { useEffect, useState } from 'react';
import { api, call, download, errorText, session, yuan } from '../api.ts';
import { useAsync } from '../components/useAsync.ts';
import { useMerchantId } from '../workspace.tsx';
import { ProductEditor } from './ProductEditor.tsx';

export default function Products() {
  const merchantId = useMerchantId();
  const { message } = App.useApp();
  const [q, setQ] = useState('');
  const [status, setStatus] = useState<string | undefined>();
  const [editing, setEditing] = useState<number | 'new' | null>(null);
  const [selected, setSelected] = useState<number[]>([]);
  const list = useAsync(() => call(() => api.GET('/api/merchants/{merchantId}/products', { params: { path: { merchantId }, query: { ...(q ? { q } : {}), ...(status ? { status: status as never } : {}), pageSize: 50 } } })), [merchantId, q, status]);
  const setShelf = async (to: 'on_shelf' | 'off_shelf') => {
    try { await call(() => api.POST('/api/merchants/{merchantId}/products/status', { params: { path: { merchantId } }, body: { productIds: selected, status: to } })); list.reload(); } catch (e) { void message.error(errorText(e)); }
  };
  return (
    <Card title="商品 Products" extra={<Space><ImportButton onDone={list.reload} /><Button type="primary" onClick={() => setEditing('new')} data-testid="new-product">新建商品 New</Button></Space>}>
      <Space style={{ marginBottom: 12 }}>
        <Input.Search placeholder="搜索 Search" allowClear onSearch={setQ} />
        <Select allowClear placeholder="状态 Status" style={{ width: 140 }} value={status} onChange={setStatus} options={[{ value: 'on_shelf', label: '在售 On shelf' }, { value: 'off_shelf', label: '下架 Off shelf' }, { value: 'draft', label: '草稿 Draft' }]} />
        <Button disabled={!selected.length} onClick={() => setShelf('on_shelf')}>上架</Button>
        <Button disabled={!selected.length} onClick={() => setShelf('off_shelf')}>下架</Button>
      </Space>
      <Table rowKey="id" loading={list.loading} dataSource={list.data?.items ?? []} rowSelection={{ selectedRowKeys: selected, onChange: (k) => setSelected(k as number[]) }}
        columns={[
          { title: '商品', dataIndex: 'title', render: (t: string, r) => <Space>{r.coverUrl && <img src={r.coverUrl} width={36} height={36} style={{ objectFit: 'cover' }} />}<a onClick={() => setEditing(r.id)}>{t}</a></Space> },
          { title: '价格', render: (_, r) => yuan(r.minPriceFen) },
          { title: '可售 Available', dataIndex: 'stock' },
          { title: '销量', dataIndex: 'sales' },
          { title: '状态', render: (_, r) => <Tag color={r.onShelf ? 'green' : 'default'}>{r.onShelf ? '在售' : '未上架'}</Tag> },
        ]} />
      <Drawer open={editing !== null} width={980} title={editing === 'new' ? '新建商品 New product' : '编辑商品 Edit product'} onClose={() => setEditing(null)} destroyOnHidden>
        {editing !== null && <ProductEditor productId={editing === 'new' ? null : editing} onSaved={() => { setEditing(null); list.reload(); }} />}
      </Drawer>
    </Card>
  );
}

function ImportButton(props: { onDone(): void }) {
  const merchantId = useMerchantId();
  const { message } = App.useApp();
  const [job, setJob] = useState<{ id: number; progress: number; status: string; errorRows: number; okRows: number } | null>(null);
  useEffect(() => {
    if (!job || job.status === 'done' || job.status === 'failed') return;
    const t = setInterval(async () => {
      const j = await call(() => api.GET('/api/merchants/{merchantId}/product-imports/{importId}', { params: { path: { merchantId, importId: job.id } } }));
      setJob(j);
      if (j.status === 'done' || j.status === 'failed') props.onDone();
    }, 700);
    return () => clearInterval(t);
  }, [job?.id, job?.status]);
  return (
    <Space>
      <Upload accept=".csv" showUploadList={false} action={`/api/merchants/${merchantId}/product-imports`} headers={{ authorization: `Bearer ${session.get()?.accessToken ?? ''}` }}
        onChange={(info) => { if (info.file.status === 'done') setJob(info.file.response as never); if (info.file.status === 'error') void message.error('导入失败'); }}>
        <Button>CSV 导入 Import</Button>
      </Upload>
      {job && <Progress type="circle" size={32} percent={job.progress} status={job.status === 'failed' ? 'exception' : undefined} />}
      {job && job.errorRows > 0 && <Button type="link" onClick={() => void download(`/api/merchants/${merchantId}/product-imports/${job.id}/errors.csv`, `import-${job.id}-errors.csv`)}>错误报告 {job.errorRows}</Button>}
    </Space>
  );
}

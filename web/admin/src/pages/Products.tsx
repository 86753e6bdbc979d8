// Products: list with filters and shelf actions, the editor with the spec → SKU matrix, CSV import.
import { App, Button, Card, Drawer, Form, Input, InputNumber, Progress, Select, Space, Table, Tag, Upload } from 'antd';
import { useEffect, useState } from 'react';
import { api, call, download, errorText, session, yuan } from '../api.ts';
import { useAsync } from '../components/useAsync.ts';
import { useMerchantId } from '../workspace.tsx';

interface SkuRow { specValues: string[]; priceFen: number; originalPriceFen?: number; stock: number; code?: string; weightGrams?: number }
interface Spec { name: string; values: string[] }

/** Every combination of spec values, keeping what was typed for combinations that still exist. */
export function skuMatrix(specs: Spec[], previous: SkuRow[]): SkuRow[] {
  const usable = specs.filter((s) => s.name && s.values.length);
  const combos = usable.reduce<string[][]>((acc, s) => acc.flatMap((c) => s.values.map((v) => [...c, v])), [[]]);
  return combos.map((specValues) => previous.find((p) => p.specValues.join('/') === specValues.join('/')) ?? { specValues, priceFen: 0, stock: 0 });
}

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
          { title: '库存', dataIndex: 'stock' },
          { title: '销量', dataIndex: 'sales' },
          { title: '状态', render: (_, r) => <Tag color={r.onShelf ? 'green' : 'default'}>{r.onShelf ? '在售' : '未上架'}</Tag> },
        ]} />
      <Drawer open={editing !== null} width={760} title={editing === 'new' ? '新建商品 New product' : '编辑商品 Edit product'} onClose={() => setEditing(null)} destroyOnHidden>
        {editing !== null && <ProductEditor productId={editing === 'new' ? null : editing} onSaved={() => { setEditing(null); list.reload(); }} />}
      </Drawer>
    </Card>
  );
}

function ProductEditor(props: { productId: number | null; onSaved(): void }) {
  const merchantId = useMerchantId();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const [specs, setSpecs] = useState<Spec[]>([]);
  const [skus, setSkus] = useState<SkuRow[]>([{ specValues: [], priceFen: 0, stock: 0 }]);
  const [cover, setCover] = useState<string | null>(null);
  const [media, setMedia] = useState<Array<{ type: 'image' | 'video'; url: string }>>([]);
  const categories = useAsync(() => call(() => api.GET('/api/categories')), []);
  useEffect(() => {
    if (!props.productId) return;
    void call(() => api.GET('/api/merchants/{merchantId}/products/{productId}', { params: { path: { merchantId, productId: props.productId! } } })).then((p) => {
      form.setFieldsValue({ title: p.title, subtitle: p.subtitle, description: p.description, categoryId: p.categoryId, status: p.status });
      setSpecs(p.specs); setCover(p.coverUrl); setMedia(p.media.map((m) => ({ type: m.type === 'video' ? 'video' : 'image', url: m.url })));
      setSkus(p.skus.map((s) => ({ specValues: s.specValues, priceFen: s.priceFen, originalPriceFen: s.originalPriceFen, stock: s.stock, code: s.code ?? undefined, weightGrams: s.weightGrams })));
    });
  }, [props.productId]);
  const updateSpecs = (next: Spec[]) => { setSpecs(next); setSkus((prev) => skuMatrix(next, prev)); };
  const save = async (v: { title: string; subtitle?: string; description?: string; categoryId?: number; status?: string }) => {
    const body = { ...v, status: (v.status ?? 'on_shelf') as never, coverUrl: cover, media, specs: specs.filter((s) => s.name && s.values.length), skus: skus.map((s) => ({ ...s, code: s.code || undefined })) };
    try {
      if (props.productId) await call(() => api.PUT('/api/merchants/{merchantId}/products/{productId}', { params: { path: { merchantId, productId: props.productId! } }, body }));
      else await call(() => api.POST('/api/merchants/{merchantId}/products', { params: { path: { merchantId } }, body }));
      void message.success('已保存 Saved');
      props.onSaved();
    } catch (e) { void message.error(errorText(e)); }
  };
  const flat = (nodes: Array<{ id: number; name: string; children?: unknown[] }>, prefix = ''): Array<{ value: number; label: string }> =>
    nodes.flatMap((n) => [{ value: n.id, label: prefix + n.name }, ...flat((n.children ?? []) as never, `${prefix}${n.name} / `)]);
  return (
    <Form form={form} layout="vertical" onFinish={save}>
      <Form.Item name="title" label="标题 Title" rules={[{ required: true }]}><Input data-testid="product-title" /></Form.Item>
      <Form.Item name="subtitle" label="副标题 Subtitle"><Input /></Form.Item>
      <Form.Item name="categoryId" label="类目 Category"><Select allowClear showSearch optionFilterProp="label" options={flat((categories.data ?? []) as never)} /></Form.Item>
      <Form.Item label="主图 Cover">
        <Space>
          {cover && <img src={cover} width={64} height={64} style={{ objectFit: 'cover' }} />}
          <Upload accept="image/*" showUploadList={false} action={`/api/merchants/${merchantId}/media`} headers={{ authorization: `Bearer ${session.get()?.accessToken ?? ''}` }}
            onChange={(info) => { if (info.file.status === 'done') setCover((info.file.response as { url: string }).url); if (info.file.status === 'error') void message.error('上传失败'); }}>
            <Button>上传 Upload</Button>
          </Upload>
        </Space>
      </Form.Item>
      <Form.Item label="图片与视频 Gallery">
        <Space wrap>
          {media.map((m) => (
            <span key={m.url} style={{ position: 'relative' }}>
              {m.type === 'image' ? <img src={m.url} width={56} height={56} style={{ objectFit: 'cover' }} /> : <Tag>🎬 video</Tag>}
              <a onClick={() => setMedia(media.filter((x) => x.url !== m.url))} style={{ position: 'absolute', top: -6, right: -4 }}>✕</a>
            </span>
          ))}
          <Upload accept="image/*,video/mp4" showUploadList={false} multiple action={`/api/merchants/${merchantId}/media`} headers={{ authorization: `Bearer ${session.get()?.accessToken ?? ''}` }}
            onChange={(info) => { if (info.file.status === 'done') { const r = info.file.response as { url: string; type: 'image' | 'video' }; setMedia((m) => [...m, { type: r.type, url: r.url }]); } }}>
            <Button>+ 添加 Add</Button>
          </Upload>
        </Space>
      </Form.Item>
      <Card size="small" title="规格 Specs (→ SKU matrix)" extra={<Button size="small" disabled={specs.length >= 3} onClick={() => updateSpecs([...specs, { name: '', values: [] }])} data-testid="add-spec">+ 规格</Button>}>
        {specs.map((s, i) => (
          <Space key={i} style={{ display: 'flex', marginBottom: 8 }}>
            <Input placeholder="颜色" value={s.name} style={{ width: 120 }} data-testid={`spec-name-${i}`} onChange={(e) => updateSpecs(specs.map((x, j) => (j === i ? { ...x, name: e.target.value } : x)))} />
            <Select mode="tags" placeholder="红色, 蓝色" value={s.values} style={{ width: 360 }} data-testid={`spec-values-${i}`} tokenSeparators={[',', '，']} onChange={(values: string[]) => updateSpecs(specs.map((x, j) => (j === i ? { ...x, values } : x)))} />
            <Button danger size="small" onClick={() => updateSpecs(specs.filter((_, j) => j !== i))}>✕</Button>
          </Space>
        ))}
      </Card>
      <Table size="small" rowKey={(r) => r.specValues.join('/') || 'default'} pagination={false} dataSource={skus} style={{ margin: '12px 0' }} data-testid="sku-matrix"
        columns={[
          { title: 'SKU', render: (_, r) => r.specValues.join(' / ') || '默认' },
          { title: '价格(¥)', render: (_, r, i) => <InputNumber min={0} step={0.01} value={r.priceFen / 100} data-testid={`sku-price-${i}`} onChange={(v) => setSkus(skus.map((x, j) => (j === i ? { ...x, priceFen: Math.round(Number(v ?? 0) * 100) } : x)))} /> },
          { title: '库存', render: (_, r, i) => <InputNumber min={0} value={r.stock} data-testid={`sku-stock-${i}`} onChange={(v) => setSkus(skus.map((x, j) => (j === i ? { ...x, stock: Number(v ?? 0) } : x)))} /> },
          { title: '编码 Code', render: (_, r, i) => <Input value={r.code} onChange={(e) => setSkus(skus.map((x, j) => (j === i ? { ...x, code: e.target.value } : x)))} /> },
        ]} />
      <Form.Item name="description" label="详情 Description"><Input.TextArea rows={4} /></Form.Item>
      <Form.Item name="status" label="状态 Status" initialValue="on_shelf"><Select options={[{ value: 'on_shelf', label: '上架 On shelf' }, { value: 'off_shelf', label: '下架 Off shelf' }, { value: 'draft', label: '草稿 Draft' }]} /></Form.Item>
      <Button type="primary" htmlType="submit" data-testid="save-product">保存 Save</Button>
    </Form>
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

// The product editor: fields, gallery, the spec → SKU matrix with price, weight and code per SKU.
// Stock is not a field of the product: a new SKU gets an initial stock, an existing one shows on
// hand / reserved / available and changes through "调整库存" (inventory's adjust, with a reason).
// Saves carry the version the editor loaded (If-Match), so a concurrent edit is never overwritten.
import { Alert, App, Button, Card, Form, Input, InputNumber, Select, Space, Switch, Table, Tag, Upload } from 'antd';
import { useEffect, useState } from 'react';
import { ApiFailure } from '@livemall/sdk';
import { api, call, errorText, session } from '../api.ts';
import { StockAdjustModal } from '../components/StockAdjust.tsx';
import { useAsync } from '../components/useAsync.ts';
import { useMerchantId } from '../workspace.tsx';

export interface SkuRow {
  id?: number; specValues: string[]; priceFen: number | null; originalPriceFen?: number | undefined; weightGrams: number;
  code?: string | undefined; enabled: boolean;
  /** Initial stock, for a SKU this save creates. */
  stock: number;
  /** Live levels of an existing SKU (not saved with the product). */
  onHand?: number; reserved?: number; available?: number;
}
interface Spec { name: string; values: string[] }
type Loaded = Awaited<ReturnType<typeof loadProduct>>;

const loadProduct = (merchantId: number, productId: number) =>
  call(() => api.GET('/api/merchants/{merchantId}/products/{productId}', { params: { path: { merchantId, productId } } }));

/** Every combination of spec values, keeping what was typed for combinations that still exist. */
export function skuMatrix(specs: Spec[], previous: SkuRow[]): SkuRow[] {
  const usable = specs.filter((s) => s.name && s.values.length);
  const combos = usable.reduce<string[][]>((acc, s) => acc.flatMap((c) => s.values.map((v) => [...c, v])), [[]]);
  return combos.map((specValues) => previous.find((p) => p.specValues.join('/') === specValues.join('/'))
    ?? { specValues, priceFen: null, stock: 0, weightGrams: 0, enabled: true });
}

const toRows = (p: Loaded): SkuRow[] => skuMatrix(p.specs, p.skus.map((s) => ({
  id: s.id, specValues: s.specValues, priceFen: s.priceFen, originalPriceFen: s.originalPriceFen, weightGrams: s.weightGrams,
  code: s.code ?? undefined, enabled: s.enabled, stock: 0, onHand: s.onHand ?? 0, reserved: s.reserved ?? 0, available: s.stock,
})));

/** An enabled SKU needs a price above ¥0.00 (the server refuses it on the shelf, too). */
export const unpricedSkus = (rows: SkuRow[]) => rows.filter((r) => r.enabled && !(r.priceFen && r.priceFen > 0));

const skuLabel = (r: { specValues: string[] }) => r.specValues.join(' / ') || '默认';

export function ProductEditor(props: { productId: number | null; onSaved(): void }) {
  const merchantId = useMerchantId();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const [specs, setSpecs] = useState<Spec[]>([]);
  const [skus, setSkus] = useState<SkuRow[]>([{ specValues: [], priceFen: null, stock: 0, weightGrams: 0, enabled: true }]);
  const [cover, setCover] = useState<string | null>(null);
  const [media, setMedia] = useState<Array<{ type: 'image' | 'video'; url: string }>>([]);
  const [version, setVersion] = useState<number | null>(null);
  const [conflict, setConflict] = useState(false);
  const [priceErrors, setPriceErrors] = useState<Set<string>>(new Set());
  const [adjusting, setAdjusting] = useState<SkuRow | null>(null);
  const categories = useAsync(() => call(() => api.GET('/api/categories')), []);

  const load = async () => {
    if (!props.productId) return;
    const p = await loadProduct(merchantId, props.productId);
    form.setFieldsValue({ title: p.title, subtitle: p.subtitle, description: p.description, categoryId: p.categoryId, status: p.status });
    setSpecs(p.specs); setCover(p.coverUrl); setMedia(p.media.map((m) => ({ type: m.type === 'video' ? 'video' : 'image', url: m.url })));
    setSkus(toRows(p)); setVersion(p.version); setConflict(false); setPriceErrors(new Set());
  };
  useEffect(() => { void load().catch((e: unknown) => void message.error(errorText(e))); }, [props.productId]);

  /** After a stock adjustment: the levels change, nothing else the merchant typed does. */
  const refreshLevels = async () => {
    const p = await loadProduct(merchantId, props.productId!);
    const byId = new Map(p.skus.map((s) => [s.id, s]));
    setSkus((rows) => rows.map((r) => (r.id && byId.has(r.id) ? { ...r, onHand: byId.get(r.id)!.onHand ?? 0, reserved: byId.get(r.id)!.reserved ?? 0, available: byId.get(r.id)!.stock } : r)));
  };
  const updateSpecs = (next: Spec[]) => { setSpecs(next); setSkus((prev) => skuMatrix(next, prev)); };
  const setRow = (i: number, patch: Partial<SkuRow>) => setSkus((rows) => rows.map((x, j) => (j === i ? { ...x, ...patch } : x)));

  const save = async (v: { title: string; subtitle?: string; description?: string; categoryId?: number; status?: string }) => {
    const unpriced = unpricedSkus(skus);
    setPriceErrors(new Set(unpriced.map(skuLabel)));
    if (unpriced.length) {
      void message.error(`请填写价格（大于 ¥0.00）Price required: ${unpriced.map(skuLabel).join(', ')}`);
      return;
    }
    const body = {
      ...v, status: (v.status ?? 'on_shelf') as 'on_shelf', coverUrl: cover, media, specs: specs.filter((s) => s.name && s.values.length),
      skus: skus.map((s) => ({
        specValues: s.specValues, priceFen: s.priceFen!, weightGrams: s.weightGrams, enabled: s.enabled, code: s.code || undefined,
        // A strikethrough price below the new price is dropped rather than refused: it would mean nothing.
        ...(s.originalPriceFen && s.originalPriceFen >= s.priceFen! ? { originalPriceFen: s.originalPriceFen } : {}),
        ...(s.id ? {} : { stock: s.stock }),
      })),
    };
    try {
      if (props.productId) {
        await call(() => api.PUT('/api/merchants/{merchantId}/products/{productId}', {
          params: { path: { merchantId, productId: props.productId! }, header: { 'if-match': `"${version}"` } }, body,
        }));
      } else await call(() => api.POST('/api/merchants/{merchantId}/products', { params: { path: { merchantId } }, body }));
      void message.success('已保存 Saved');
      props.onSaved();
    } catch (e) {
      if (e instanceof ApiFailure && e.error.code === 'PRODUCT_VERSION_CONFLICT') { setConflict(true); return; }
      if (e instanceof ApiFailure && e.error.code === 'SKU_PRICE_REQUIRED') {
        setPriceErrors(new Set(((e.error.details ?? []) as Array<{ specValues: string[] }>).map(skuLabel)));
      }
      void message.error(errorText(e));
    }
  };
  const flat = (nodes: Array<{ id: number; name: string; children?: unknown[] }>, prefix = ''): Array<{ value: number; label: string }> =>
    nodes.flatMap((n) => [{ value: n.id, label: prefix + n.name }, ...flat((n.children ?? []) as never, `${prefix}${n.name} / `)]);
  const upload = { action: `/api/merchants/${merchantId}/media`, headers: { authorization: `Bearer ${session.get()?.accessToken ?? ''}` } };
  return (
    <Form form={form} layout="vertical" onFinish={save}>
      {conflict && (
        <Alert type="warning" showIcon style={{ marginBottom: 12 }} data-testid="version-conflict"
          title="商品已被他人修改 Someone else saved this product after you opened it"
          description="重新加载后再修改，以免覆盖对方的更改。Reload it and make your change again, so theirs is not lost."
          action={<Button onClick={() => void load()} data-testid="reload-product">重新加载 Reload</Button>} />
      )}
      <Form.Item name="title" label="标题 Title" rules={[{ required: true }]}><Input data-testid="product-title" /></Form.Item>
      <Form.Item name="subtitle" label="副标题 Subtitle"><Input /></Form.Item>
      <Form.Item name="categoryId" label="类目 Category"><Select allowClear showSearch optionFilterProp="label" options={flat((categories.data ?? []) as never)} /></Form.Item>
      <Form.Item label="主图 Cover">
        <Space>
          {cover && <img src={cover} width={64} height={64} style={{ objectFit: 'cover' }} />}
          <Upload accept="image/*" showUploadList={false} {...upload}
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
          <Upload accept="image/*,video/mp4" showUploadList={false} multiple {...upload}
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
          { title: 'SKU', render: (_, r) => skuLabel(r) },
          { title: '价格 Price (¥)', render: (_, r, i) => (
            <Space orientation="vertical" size={0}>
              <InputNumber min={0} step={0.01} precision={2} placeholder="必填" value={r.priceFen === null ? null : r.priceFen / 100} data-testid={`sku-price-${i}`}
                status={priceErrors.has(skuLabel(r)) ? 'error' : undefined} style={{ width: 110 }}
                onChange={(v) => { setRow(i, { priceFen: v === null ? null : Math.round(Number(v) * 100) }); setPriceErrors((e) => { const n = new Set(e); n.delete(skuLabel(r)); return n; }); }} />
              {priceErrors.has(skuLabel(r)) && <span style={{ color: '#ff4d4f', fontSize: 12 }} data-testid={`sku-price-error-${i}`}>需大于 ¥0.00</span>}
            </Space>
          ) },
          { title: '划线价 Was (¥)', render: (_, r, i) => <InputNumber min={0} step={0.01} precision={2} value={r.originalPriceFen ? r.originalPriceFen / 100 : null} style={{ width: 100 }} onChange={(v) => setRow(i, { originalPriceFen: v ? Math.round(Number(v) * 100) : undefined })} /> },
          { title: '库存 Stock', render: (_, r, i) => (r.id
            ? (
              <Space size={4} wrap>
                <span data-testid={`sku-onhand-${i}`} title="在库 On hand">{r.onHand}</span>
                <Tag title="预占 Reserved by unpaid orders" data-testid={`sku-reserved-${i}`}>占 {r.reserved}</Tag>
                <Tag color="green" title="可售 Available">售 {r.available}</Tag>
                <Button size="small" onClick={() => setAdjusting(r)} data-testid={`sku-adjust-${i}`}>调整库存</Button>
              </Space>
            )
            : <InputNumber min={0} precision={0} value={r.stock} data-testid={`sku-stock-${i}`} placeholder="初始库存" onChange={(v) => setRow(i, { stock: Number(v ?? 0) })} />) },
          { title: '重量 Weight (kg)', render: (_, r, i) => <InputNumber min={0} max={1000} step={0.001} precision={3} value={r.weightGrams / 1000} style={{ width: 100 }} data-testid={`sku-weight-${i}`} onChange={(v) => setRow(i, { weightGrams: Math.round(Number(v ?? 0) * 1000) })} /> },
          { title: '编码 Code', render: (_, r, i) => <Input value={r.code} style={{ width: 120 }} onChange={(e) => setRow(i, { code: e.target.value })} /> },
          { title: '在售 On sale', render: (_, r, i) => <Switch size="small" checked={r.enabled} onChange={(enabled) => setRow(i, { enabled })} /> },
        ]} />
      <Form.Item name="description" label="详情 Description"><Input.TextArea rows={4} /></Form.Item>
      <Form.Item name="status" label="状态 Status" initialValue="on_shelf"><Select options={[{ value: 'on_shelf', label: '上架 On shelf' }, { value: 'off_shelf', label: '下架 Off shelf' }, { value: 'draft', label: '草稿 Draft' }]} /></Form.Item>
      <Button type="primary" htmlType="submit" data-testid="save-product" disabled={conflict}>保存 Save</Button>
      {adjusting?.id && (
        <StockAdjustModal merchantId={merchantId} skuId={adjusting.id} title={skuLabel(adjusting)} onClose={() => setAdjusting(null)}
          onDone={() => { setAdjusting(null); void refreshLevels(); }} />
      )}
    </Form>
  );
}

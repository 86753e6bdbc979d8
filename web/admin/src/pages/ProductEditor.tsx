// The product editor: fields, gallery, the spec → SKU matrix with price, weight and code per SKU.
// Stock is not a field of the product: a new SKU gets an initial stock, an existing one shows on
// hand / reserved / available and changes through "调整库存" (inventory's adjust, with a reason).
// Saves carry the version the editor loaded (If-Match), so a concurrent edit is never overwritten.
import { Alert, App, Button, Card, Form, Input, Select, Space, Tag, Upload } from 'antd';
import { CloseOutlined, VideoCameraOutlined } from '@ant-design/icons';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiFailure, useLabels, type paths } from '@livemall/sdk';
import { $api, errorText, queryClient, session } from '../api.ts';
import { StockAdjustModal } from '../components/StockAdjust.tsx';
import { useMerchantId } from '../workspace.tsx';
import { SkuTable } from './ProductSkus.tsx';
import { LinkButton } from '../components/LinkButton.tsx';

export interface SkuRow {
  id?: number;
  specValues: string[];
  priceFen: number | null;
  originalPriceFen?: number | undefined;
  weightGrams: number;
  code?: string | undefined;
  enabled: boolean;
  /** Initial stock, for a SKU this save creates. */
  stock: number;
  /** Live levels of an existing SKU (not saved with the product). */
  onHand?: number;
  reserved?: number;
  available?: number;
}
interface Spec {
  name: string;
  values: string[];
}
type Loaded =
  paths['/api/merchants/{merchantId}/products/{productId}']['get']['responses'][200]['content']['application/json'];

/** The product as it is now (asked afresh: the editor edits a snapshot and saves it with its version). */
const loadProduct = (merchantId: number, productId: number) =>
  queryClient.fetchQuery(
    $api.queryOptions('get', '/api/merchants/{merchantId}/products/{productId}', {
      params: { path: { merchantId, productId } },
    }),
  );

/** Every combination of spec values, keeping what was typed for combinations that still exist. */
export function skuMatrix(specs: Spec[], previous: SkuRow[]): SkuRow[] {
  const usable = specs.filter((s) => s.name && s.values.length);
  const combos = usable.reduce<string[][]>((acc, s) => acc.flatMap((c) => s.values.map((v) => [...c, v])), [[]]);
  return combos.map(
    (specValues) =>
      previous.find((p) => p.specValues.join('/') === specValues.join('/')) ?? {
        specValues,
        priceFen: null,
        stock: 0,
        weightGrams: 0,
        enabled: true,
      },
  );
}

const toRows = (p: Loaded): SkuRow[] =>
  skuMatrix(
    p.specs,
    p.skus.map((s) => ({
      id: s.id,
      specValues: s.specValues,
      priceFen: s.priceFen,
      originalPriceFen: s.originalPriceFen,
      weightGrams: s.weightGrams,
      code: s.code ?? undefined,
      enabled: s.enabled,
      stock: 0,
      onHand: s.onHand ?? 0,
      reserved: s.reserved ?? 0,
      available: s.stock,
    })),
  );

/** An enabled SKU needs a price above ¥0.00 (the server refuses it on the shelf, too). */
export const unpricedSkus = (rows: SkuRow[]) => rows.filter((r) => r.enabled && !(r.priceFen && r.priceFen > 0));

/** A SKU by its spec values; the one SKU of a product without specs has none (`defaultName`). */
export const skuLabel = (r: { specValues: string[] }, defaultName = '') => r.specValues.join(' / ') || defaultName;

export function ProductEditor(props: { productId: number | null; onSaved(): void }) {
  const { t } = useTranslation();
  const merchantId = useMerchantId();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const labels = useLabels();
  const label = (r: { specValues: string[] }) => skuLabel(r, t('common.defaultSku'));
  const [specs, setSpecs] = useState<Spec[]>([]);
  const [skus, setSkus] = useState<SkuRow[]>([
    { specValues: [], priceFen: null, stock: 0, weightGrams: 0, enabled: true },
  ]);
  const [cover, setCover] = useState<string | null>(null);
  const [media, setMedia] = useState<Array<{ type: 'image' | 'video'; url: string }>>([]);
  const [version, setVersion] = useState<number | null>(null);
  const [conflict, setConflict] = useState(false);
  const [priceErrors, setPriceErrors] = useState<Set<string>>(new Set());
  const [adjusting, setAdjusting] = useState<SkuRow | null>(null);
  const categories = $api.useQuery('get', '/api/categories');
  const createM = $api.useMutation('post', '/api/merchants/{merchantId}/products');
  const updateM = $api.useMutation('put', '/api/merchants/{merchantId}/products/{productId}');

  const load = async () => {
    if (!props.productId) return;
    const p = await loadProduct(merchantId, props.productId);
    form.setFieldsValue({
      title: p.title,
      subtitle: p.subtitle,
      description: p.description,
      categoryId: p.categoryId,
      status: p.status,
    });
    setSpecs(p.specs);
    setCover(p.coverUrl);
    setMedia(p.media.map((m) => ({ type: m.type === 'video' ? 'video' : 'image', url: m.url })));
    setSkus(toRows(p));
    setVersion(p.version);
    setConflict(false);
    setPriceErrors(new Set());
  };
  // biome-ignore lint/correctness/useExhaustiveDependencies: loads when another product is opened, never over edits
  useEffect(() => {
    void load().catch((e: unknown) => void message.error(errorText(e)));
  }, [props.productId]);

  /** After a stock adjustment: the levels change, nothing else the merchant typed does. */
  const refreshLevels = async () => {
    const p = await loadProduct(merchantId, props.productId!);
    const byId = new Map(p.skus.map((s) => [s.id, s]));
    setSkus((rows) =>
      rows.map((r) =>
        r.id && byId.has(r.id)
          ? {
              ...r,
              onHand: byId.get(r.id)!.onHand ?? 0,
              reserved: byId.get(r.id)!.reserved ?? 0,
              available: byId.get(r.id)!.stock,
            }
          : r,
      ),
    );
  };
  const updateSpecs = (next: Spec[]) => {
    setSpecs(next);
    setSkus((prev) => skuMatrix(next, prev));
  };
  const setRow = (i: number, patch: Partial<SkuRow>) =>
    setSkus((rows) => rows.map((x, j) => (j === i ? { ...x, ...patch } : x)));

  const save = async (v: {
    title: string;
    subtitle?: string;
    description?: string;
    categoryId?: number;
    status?: string;
  }) => {
    const unpriced = unpricedSkus(skus);
    setPriceErrors(new Set(unpriced.map(label)));
    if (unpriced.length) {
      void message.error(t('editor.priceRequired', { skus: unpriced.map(label).join(', ') }));
      return;
    }
    const body = {
      ...v,
      status: (v.status ?? 'on_shelf') as 'on_shelf',
      coverUrl: cover,
      media,
      specs: specs.filter((s) => s.name && s.values.length),
      skus: skus.map((s) => ({
        specValues: s.specValues,
        priceFen: s.priceFen!,
        weightGrams: s.weightGrams,
        enabled: s.enabled,
        code: s.code || undefined,
        // A strikethrough price below the new price is dropped rather than refused: it would mean nothing.
        ...(s.originalPriceFen && s.originalPriceFen >= s.priceFen! ? { originalPriceFen: s.originalPriceFen } : {}),
        ...(s.id ? {} : { stock: s.stock }),
      })),
    };
    try {
      if (props.productId) {
        await updateM.mutateAsync({
          params: { path: { merchantId, productId: props.productId }, header: { 'if-match': `"${version}"` } },
          body,
        });
      } else await createM.mutateAsync({ params: { path: { merchantId } }, body });
      void message.success(t('editor.saved'));
      props.onSaved();
    } catch (e) {
      if (e instanceof ApiFailure && e.error.code === 'PRODUCT_VERSION_CONFLICT') {
        setConflict(true);
        return;
      }
      if (e instanceof ApiFailure && e.error.code === 'SKU_PRICE_REQUIRED') {
        setPriceErrors(new Set(((e.error.details ?? []) as Array<{ specValues: string[] }>).map(label)));
      }
      void message.error(errorText(e));
    }
  };
  const flat = (
    nodes: Array<{ id: number; name: string; children?: unknown[] }>,
    prefix = '',
  ): Array<{ value: number; label: string }> =>
    nodes.flatMap((n) => [
      { value: n.id, label: prefix + n.name },
      ...flat((n.children ?? []) as never, `${prefix}${n.name} / `),
    ]);
  const upload = {
    action: `/api/merchants/${merchantId}/media`,
    headers: { authorization: `Bearer ${session.get()?.accessToken ?? ''}` },
  };
  return (
    <Form form={form} layout="vertical" onFinish={save}>
      {conflict && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          data-testid="version-conflict"
          title={t('editor.conflict')}
          description={t('editor.conflictHint')}
          action={
            <Button onClick={() => void load()} data-testid="reload-product">
              {t('editor.reload')}
            </Button>
          }
        />
      )}
      <Form.Item name="title" label={t('editor.title')} rules={[{ required: true }]}>
        <Input data-testid="product-title" />
      </Form.Item>
      <Form.Item name="subtitle" label={t('editor.subtitle')}>
        <Input />
      </Form.Item>
      <Form.Item name="categoryId" label={t('editor.category')}>
        <Select allowClear showSearch optionFilterProp="label" options={flat((categories.data ?? []) as never)} />
      </Form.Item>
      <Form.Item label={t('editor.cover')}>
        <Space>
          {cover && <img src={cover} alt={t('editor.cover')} width={64} height={64} style={{ objectFit: 'cover' }} />}
          <Upload
            accept="image/*"
            showUploadList={false}
            {...upload}
            onChange={(info) => {
              if (info.file.status === 'done') setCover((info.file.response as { url: string }).url);
              if (info.file.status === 'error') void message.error(t('editor.uploadFailed'));
            }}
          >
            <Button>{t('editor.upload')}</Button>
          </Upload>
        </Space>
      </Form.Item>
      <Form.Item label={t('editor.gallery')}>
        <Space wrap>
          {media.map((m) => (
            <span key={m.url} style={{ position: 'relative' }}>
              {m.type === 'image' ? (
                <img src={m.url} alt="" width={56} height={56} style={{ objectFit: 'cover' }} />
              ) : (
                <Tag icon={<VideoCameraOutlined />}>{t('editor.video')}</Tag>
              )}
              <LinkButton
                aria-label={t('common.delete')}
                onClick={() => setMedia(media.filter((x) => x.url !== m.url))}
                style={{ position: 'absolute', top: -6, right: -4 }}
              >
                <CloseOutlined />
              </LinkButton>
            </span>
          ))}
          <Upload
            accept="image/*,video/mp4"
            showUploadList={false}
            multiple
            {...upload}
            onChange={(info) => {
              if (info.file.status === 'done') {
                const r = info.file.response as { url: string; type: 'image' | 'video' };
                setMedia((m) => [...m, { type: r.type, url: r.url }]);
              }
            }}
          >
            <Button>+ {t('common.add')}</Button>
          </Upload>
        </Space>
      </Form.Item>
      <Card
        size="small"
        title={<span data-testid="specs-title">{t('editor.specs')}</span>}
        extra={
          <Button
            size="small"
            disabled={specs.length >= 3}
            onClick={() => updateSpecs([...specs, { name: '', values: [] }])}
            data-testid="add-spec"
          >
            + {t('editor.spec')}
          </Button>
        }
      >
        {specs.map((s, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: a spec row's position is its identity (its test ids use it)
          <Space key={i} style={{ display: 'flex', marginBottom: 8 }}>
            <Input
              placeholder={t('editor.specNameExample')}
              value={s.name}
              style={{ width: 120 }}
              data-testid={`spec-name-${i}`}
              onChange={(e) => updateSpecs(specs.map((x, j) => (j === i ? { ...x, name: e.target.value } : x)))}
            />
            <Select
              mode="tags"
              placeholder={t('editor.specValuesExample')}
              value={s.values}
              style={{ width: 360 }}
              data-testid={`spec-values-${i}`}
              tokenSeparators={[',', '，']}
              onChange={(values: string[]) => updateSpecs(specs.map((x, j) => (j === i ? { ...x, values } : x)))}
            />
            <Button
              danger
              size="small"
              aria-label={t('common.delete')}
              icon={<CloseOutlined />}
              onClick={() => updateSpecs(specs.filter((_, j) => j !== i))}
            />
          </Space>
        ))}
      </Card>
      <SkuTable
        skus={skus}
        priceErrors={priceErrors}
        setRow={setRow}
        onAdjust={setAdjusting}
        clearPriceError={(r) =>
          setPriceErrors((e) => {
            const n = new Set(e);
            n.delete(label(r));
            return n;
          })
        }
      />
      <Form.Item name="description" label={t('editor.description')}>
        <Input.TextArea rows={4} />
      </Form.Item>
      <Form.Item name="status" label={t('common.status')} initialValue="on_shelf">
        <Select
          options={(['on_shelf', 'off_shelf', 'draft'] as const).map((value) => ({
            value,
            label: labels.label('productStatus', value),
          }))}
        />
      </Form.Item>
      <Button
        type="primary"
        htmlType="submit"
        data-testid="save-product"
        disabled={conflict}
        loading={createM.isPending || updateM.isPending}
      >
        {t('common.save')}
      </Button>
      {adjusting?.id && (
        <StockAdjustModal
          merchantId={merchantId}
          skuId={adjusting.id}
          title={label(adjusting)}
          onClose={() => setAdjusting(null)}
          onDone={() => {
            setAdjusting(null);
            void refreshLevels();
          }}
        />
      )}
    </Form>
  );
}

// The product editor's SKU matrix: price (required above ¥0.00), strikethrough price, stock (an
// initial count for a new SKU; on hand / reserved / available and "调整库存" for an existing one),
// weight, code and whether it is on sale.
import { Button, InputNumber, Input, Space, Switch, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { skuLabel, type SkuRow } from './ProductEditor.tsx';

export function SkuTable(props: {
  skus: SkuRow[];
  priceErrors: Set<string>;
  setRow(i: number, patch: Partial<SkuRow>): void;
  clearPriceError(r: SkuRow): void;
  onAdjust(r: SkuRow): void;
}) {
  const { t } = useTranslation();
  const { setRow } = props;
  const label = (r: SkuRow) => skuLabel(r, t('common.defaultSku'));
  const fen = (v: number | string | null) => (v === null ? null : Math.round(Number(v) * 100));
  return (
    <Table
      size="small"
      rowKey={(r) => r.specValues.join('/') || 'default'}
      pagination={false}
      dataSource={props.skus}
      style={{ margin: '12px 0' }}
      data-testid="sku-matrix"
      columns={[
        { title: 'SKU', render: (_, r) => label(r) },
        {
          title: t('editor.price'),
          render: (_, r, i) => (
            <Space orientation="vertical" size={0}>
              <InputNumber
                min={0}
                step={0.01}
                precision={2}
                placeholder={t('editor.required')}
                data-testid={`sku-price-${i}`}
                value={r.priceFen === null ? null : r.priceFen / 100}
                style={{ width: 110 }}
                status={props.priceErrors.has(label(r)) ? 'error' : undefined}
                onChange={(v) => {
                  setRow(i, { priceFen: fen(v) });
                  props.clearPriceError(r);
                }}
              />
              {props.priceErrors.has(label(r)) && (
                <span style={{ color: '#ff4d4f', fontSize: 12 }} data-testid={`sku-price-error-${i}`}>
                  {t('editor.aboveZero')}
                </span>
              )}
            </Space>
          ),
        },
        {
          title: t('editor.was'),
          render: (_, r, i) => (
            <InputNumber
              min={0}
              step={0.01}
              precision={2}
              value={r.originalPriceFen ? r.originalPriceFen / 100 : null}
              style={{ width: 100 }}
              onChange={(v) => setRow(i, { originalPriceFen: v ? fen(v)! : undefined })}
            />
          ),
        },
        {
          title: t('editor.stock'),
          render: (_, r, i) =>
            r.id ? (
              <Space size={4} wrap>
                <span data-testid={`sku-onhand-${i}`} title={t('stock.onHand')}>
                  {r.onHand}
                </span>
                <Tag title={t('editor.reservedHint')} data-testid={`sku-reserved-${i}`}>
                  {t('editor.reservedShort', { n: r.reserved })}
                </Tag>
                <Tag color="green" title={t('stock.available')}>
                  {t('editor.availableShort', { n: r.available })}
                </Tag>
                <Button size="small" onClick={() => props.onAdjust(r)} data-testid={`sku-adjust-${i}`}>
                  {t('stock.adjust')}
                </Button>
              </Space>
            ) : (
              <InputNumber
                min={0}
                precision={0}
                value={r.stock}
                data-testid={`sku-stock-${i}`}
                placeholder={t('editor.initialStock')}
                onChange={(v) => setRow(i, { stock: Number(v ?? 0) })}
              />
            ),
        },
        {
          title: t('editor.weight'),
          render: (_, r, i) => (
            <InputNumber
              min={0}
              max={1000}
              step={0.001}
              precision={3}
              value={r.weightGrams / 1000}
              style={{ width: 100 }}
              data-testid={`sku-weight-${i}`}
              onChange={(v) => setRow(i, { weightGrams: Math.round(Number(v ?? 0) * 1000) })}
            />
          ),
        },
        {
          title: t('editor.code'),
          render: (_, r, i) => (
            <Input value={r.code} style={{ width: 120 }} onChange={(e) => setRow(i, { code: e.target.value })} />
          ),
        },
        {
          title: t('editor.onSale'),
          render: (_, r, i) => (
            <Switch size="small" checked={r.enabled} onChange={(enabled) => setRow(i, { enabled })} />
          ),
        },
      ]}
    />
  );
}

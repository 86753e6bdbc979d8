// Pick one SKU of the shop: product first, then its SKU (with price and stock shown).
import { Select, Space } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { $api, yuan } from '../api.ts';
import { useMerchantId } from '../workspace.tsx';

export function SkuPicker(props: { value?: number; onChange?: (skuId: number) => void }) {
  const { t } = useTranslation();
  const merchantId = useMerchantId();
  const [productId, setProductId] = useState<number | undefined>();
  const products = $api.useQuery('get', '/api/merchants/{merchantId}/products', {
    params: { path: { merchantId }, query: { pageSize: 100 } },
  });
  const detail = $api.useQuery(
    'get',
    '/api/merchants/{merchantId}/products/{productId}',
    { params: { path: { merchantId, productId: productId ?? 0 } } },
    { enabled: productId !== undefined },
  );
  const skuLabel = (s: { name: string; priceFen: number; stock: number }) =>
    `${s.name || t('common.defaultSku')} · ${yuan(s.priceFen)} · ${t('skuPicker.stock', { n: s.stock })}`;
  return (
    <Space>
      <Select
        showSearch
        optionFilterProp="label"
        placeholder={t('skuPicker.product')}
        style={{ width: 220 }}
        value={productId}
        onChange={setProductId}
        options={(products.data?.items ?? []).map((p) => ({ value: p.id, label: p.title }))}
      />
      <Select
        placeholder="SKU"
        style={{ width: 220 }}
        value={props.value}
        onChange={(v: number) => props.onChange?.(v)}
        options={(productId !== undefined ? (detail.data?.skus ?? []) : []).map((s) => ({
          value: s.id,
          label: skuLabel(s),
        }))}
      />
    </Space>
  );
}

// Pick one SKU of the shop: product first, then its SKU (with price and stock shown).
import { Select, Space } from 'antd';
import { useState } from 'react';
import { api, call, yuan } from '../api.ts';
import { useMerchantId } from '../workspace.tsx';
import { useAsync } from './useAsync.ts';

export function SkuPicker(props: { value?: number; onChange?: (skuId: number) => void }) {
  const merchantId = useMerchantId();
  const [productId, setProductId] = useState<number | undefined>();
  const products = useAsync(() => call(() => api.GET('/api/merchants/{merchantId}/products', { params: { path: { merchantId }, query: { pageSize: 100 } } })), [merchantId]);
  const detail = useAsync(async () => (productId ? call(() => api.GET('/api/merchants/{merchantId}/products/{productId}', { params: { path: { merchantId, productId } } })) : null), [productId]);
  return (
    <Space>
      <Select showSearch optionFilterProp="label" placeholder="商品" style={{ width: 220 }} value={productId} onChange={setProductId} options={(products.data?.items ?? []).map((p) => ({ value: p.id, label: p.title }))} />
      <Select placeholder="SKU" style={{ width: 220 }} value={props.value} onChange={(v: number) => props.onChange?.(v)} options={(detail.data?.skus ?? []).map((s) => ({ value: s.id, label: `${s.name || '默认'} · ${yuan(s.priceFen)} · 库存 ${s.stock}` }))} />
    </Space>
  );
}

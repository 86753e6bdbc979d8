import { Input, SearchBar, SideBar, Selector } from 'antd-mobile';
import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { api, call } from '../api.ts';
import { Async, useAsync } from '../components/Async.tsx';
import { ProductGrid } from '../components/ProductGrid.tsx';
import { t } from '../i18n.ts';

const SORTS = [
  { label: '综合', value: 'relevance' }, { label: '销量', value: 'sales' }, { label: '价格↑', value: 'price_asc' }, { label: '价格↓', value: 'price_desc' }, { label: '新品', value: 'newest' },
] as const;

export function Mall() {
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const categoryId = params.get('c') ? Number(params.get('c')) : undefined;
  const [sort, setSort] = useState<(typeof SORTS)[number]['value']>('relevance');
  const [price, setPrice] = useState<{ min?: number; max?: number }>({});
  const categories = useAsync(() => call(() => api.GET('/api/categories')), []);
  const products = useAsync(() => call(() => api.GET('/api/products', { params: { query: { ...(q ? { q } : {}), ...(categoryId ? { categoryId } : {}), ...(price.min ? { minPriceFen: Math.round(price.min * 100) } : {}), ...(price.max ? { maxPriceFen: Math.round(price.max * 100) } : {}), sort, pageSize: 40 } } })), [q, categoryId, sort, price.min, price.max]);
  return (
    <div className="page">
      <SearchBar placeholder={t('搜索商品')} defaultValue={q} onSearch={(v) => setParams(v ? { q: v } : {})} />
      <div className="mall">
        <Async state={categories}>{(tree) => (
          <SideBar activeKey={categoryId ? String(categoryId) : 'all'} onChange={(k) => setParams(k === 'all' ? {} : { c: k })}>
            <SideBar.Item key="all" title={t('全部')} />
            {tree.map((c) => <SideBar.Item key={String(c.id)} title={c.name} />)}
          </SideBar>
        )}</Async>
        <div className="grow">
          <Selector options={SORTS.map((s) => ({ ...s }))} value={[sort]} onChange={(v) => v[0] && setSort(v[0])} />
          <div className="row price-filter">
            ¥<Input type="number" placeholder={t('最低价')} onChange={(v) => setPrice((p) => ({ ...p, min: Number(v) || undefined }))} data-testid="min-price" />
            —<Input type="number" placeholder={t('最高价')} onChange={(v) => setPrice((p) => ({ ...p, max: Number(v) || undefined }))} data-testid="max-price" />
          </div>
          <Async state={products} empty={(p) => p.items.length === 0}>{(p) => <ProductGrid items={p.items} />}</Async>
        </div>
      </div>
    </div>
  );
}

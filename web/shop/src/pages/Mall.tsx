import { keepPreviousData } from '@tanstack/react-query';
import { Input, SearchBar, SideBar, Selector } from 'antd-mobile';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { $api } from '../api.ts';
import { Async } from '../components/Async.tsx';
import { ProductGrid } from '../components/ProductGrid.tsx';
import { SearchRooms, SearchSuggestions } from '../components/SearchPanel.tsx';

const SORTS = ['relevance', 'sales', 'price_asc', 'price_desc', 'newest'] as const;
type Sort = (typeof SORTS)[number];

export function Mall() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const categoryId = params.get('c') ? Number(params.get('c')) : undefined;
  const [sort, setSort] = useState<Sort>('relevance');
  const [price, setPrice] = useState<{ min?: number; max?: number }>({});
  const categories = $api.useQuery('get', '/api/categories');
  const query = {
    ...(q ? { q } : {}),
    ...(categoryId ? { categoryId } : {}),
    ...(price.min ? { minPriceFen: Math.round(price.min * 100) } : {}),
    ...(price.max ? { maxPriceFen: Math.round(price.max * 100) } : {}),
    sort,
    pageSize: 40,
  };
  const products = $api.useQuery('get', '/api/products', { params: { query } }, { placeholderData: keepPreviousData });
  const sortLabels: Record<Sort, string> = {
    relevance: t('mall.sort.relevance'),
    sales: t('mall.sort.sales'),
    price_asc: t('mall.sort.priceAsc'),
    price_desc: t('mall.sort.priceDesc'),
    newest: t('mall.sort.newest'),
  };
  return (
    <div className="page">
      <SearchBar
        key={q}
        placeholder={t('common.searchProducts')}
        defaultValue={q}
        onSearch={(v) => setParams(v.trim() ? { q: v.trim() } : {})}
        onClear={() => setParams({})}
        data-testid="search-box"
      />
      {q ? <SearchRooms q={q} /> : !categoryId && <SearchSuggestions onPick={(w) => setParams({ q: w })} />}
      <div className="mall">
        <Async query={categories}>
          {(tree) => (
            <SideBar
              activeKey={categoryId ? String(categoryId) : 'all'}
              onChange={(k) => setParams(k === 'all' ? {} : { c: k })}
            >
              <SideBar.Item key="all" title={t('common.all')} />
              {tree.map((c) => (
                <SideBar.Item key={String(c.id)} title={c.name} />
              ))}
            </SideBar>
          )}
        </Async>
        <div className="grow">
          <Selector
            options={SORTS.map((value) => ({ value, label: sortLabels[value] }))}
            value={[sort]}
            onChange={(v) => v[0] && setSort(v[0])}
          />
          <div className="row price-filter">
            ¥
            <Input
              type="number"
              placeholder={t('mall.minPrice')}
              data-testid="min-price"
              onChange={(v) => setPrice((p) => ({ ...p, min: Number(v) || undefined }))}
            />
            —
            <Input
              type="number"
              placeholder={t('mall.maxPrice')}
              data-testid="max-price"
              onChange={(v) => setPrice((p) => ({ ...p, max: Number(v) || undefined }))}
            />
          </div>
          <Async query={products} empty={(p) => p.items.length === 0}>
            {(p) => <ProductGrid items={p.items} />}
          </Async>
        </div>
      </div>
    </div>
  );
}

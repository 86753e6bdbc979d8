import { Button, Swiper, Tag, Toast } from 'antd-mobile';
import { useEffect, useState } from 'react';
import { useParams } from 'react-router-dom';
import { api, call, errorText, session, useSession, yuan } from '../api.ts';
import { Async, useAsync } from '../components/Async.tsx';
import { BuySheet } from '../components/BuySheet.tsx';
import { t } from '../i18n.ts';
import { track } from '../track.ts';

export function Product() {
  const productId = Number(useParams().productId);
  const product = useAsync(() => call(() => api.GET('/api/products/{productId}', { params: { path: { productId } } })), [productId]);
  const [buying, setBuying] = useState<number | null>(null);
  const user = useSession();
  useEffect(() => { track('page_view', { productId }); }, [productId]);
  const fav = useAsync(async () => (user ? (await call(() => api.GET('/api/products/{productId}/favourite', { params: { path: { productId } } }))).favourite : false), [productId, user?.userId]);
  const toggleFav = async () => {
    if (!session.get()) return Toast.show({ content: t('登录') });
    try { await call(() => (fav.data ? api.DELETE : api.PUT)('/api/me/favourites/{productId}', { params: { path: { productId } } })); fav.reload(); } catch (e) { Toast.show({ content: errorText(e) }); }
  };
  return (
    <Async state={product}>{(p) => {
      const images = [p.coverUrl, ...p.media.filter((m) => m.type === 'image').map((m) => m.url)].filter((x): x is string => !!x);
      const prices = p.skus.map((s) => s.priceFen);
      return (
        <div className="page">
          {images.length > 0 && <Swiper>{images.map((src) => <Swiper.Item key={src}><img className="hero" src={src} alt="" /></Swiper.Item>)}</Swiper>}
          <div className="card">
            <div className="price big">{yuan(Math.min(...prices))}{Math.max(...prices) > Math.min(...prices) ? ` - ${yuan(Math.max(...prices))}` : ''}</div>
            <h2>{p.title}</h2>
            <div className="muted">{p.subtitle}</div>
            <div>{p.tags.map((tg) => <Tag key={tg.id} color="primary" fill="outline">{tg.name}</Tag>)}</div>
            <div className="muted">{p.merchantName} · {p.sales} sold</div>
          </div>
          {p.media.filter((m) => m.type === 'video').map((m) => <video key={m.url} className="hero" src={m.url} controls playsInline />)}
          <div className="card description">{p.description}</div>
          <div className="bottom-bar row">
            <Button onClick={() => void toggleFav()} data-testid="favourite">{fav.data ? '♥' : '♡'} {t('收藏')}</Button>
            <Button block color="danger" onClick={() => setBuying(p.id)} data-testid="product-buy">{t('立即购买')}</Button>
          </div>
          <BuySheet productId={buying} onClose={() => setBuying(null)} />
        </div>
      );
    }}</Async>
  );
}

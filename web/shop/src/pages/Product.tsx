import { Button, Swiper, Tag, Toast } from 'antd-mobile';
import { HeartFill, HeartOutline } from 'antd-mobile-icons';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router-dom';
import { $api, errorText, session, useSession, yuan } from '../api.ts';
import { Async } from '../components/Async.tsx';
import { BuySheet } from '../components/BuySheet.tsx';
import { ShareButton } from '../share/ShareButton.tsx';
import { ContactButton } from '../support/ContactButton.tsx';
import { track } from '../track.ts';

export function Product() {
  const { t } = useTranslation();
  const productId = Number(useParams().productId);
  const path = { params: { path: { productId } } };
  const product = $api.useQuery('get', '/api/products/{productId}', path);
  const [buying, setBuying] = useState<number | null>(null);
  const user = useSession();
  useEffect(() => {
    track('page_view', { productId });
  }, [productId]);
  const fav = $api.useQuery('get', '/api/products/{productId}/favourite', path, { enabled: !!user });
  const save = $api.useMutation('put', '/api/me/favourites/{productId}');
  const unsave = $api.useMutation('delete', '/api/me/favourites/{productId}');
  const favourite = !!user && !!fav.data?.favourite;
  const toggleFav = async () => {
    if (!session.get()) return Toast.show({ content: t('common.signInFirst') });
    try {
      await (favourite ? unsave : save).mutateAsync(path);
    } catch (e) {
      Toast.show({ content: errorText(e) });
    }
  };
  return (
    <Async query={product}>
      {(p) => {
        const images = [p.coverUrl, ...p.media.filter((m) => m.type === 'image').map((m) => m.url)].filter(
          (x): x is string => !!x,
        );
        const prices = p.skus.map((s) => s.priceFen);
        const [low, high] = [Math.min(...prices), Math.max(...prices)];
        return (
          <div className="page">
            {images.length > 0 && (
              <Swiper>
                {images.map((src) => (
                  <Swiper.Item key={src}>
                    <img className="hero" src={src} alt="" />
                  </Swiper.Item>
                ))}
              </Swiper>
            )}
            <div className="card">
              <div className="price big">
                {yuan(low)}
                {high > low ? ` - ${yuan(high)}` : ''}
              </div>
              <h2>{p.title}</h2>
              <div className="muted">{p.subtitle}</div>
              <div>
                {p.tags.map((tg) => (
                  <Tag key={tg.id} color="primary" fill="outline">
                    {tg.name}
                  </Tag>
                ))}
              </div>
              <div className="row">
                <span className="muted grow">
                  {p.merchantName} · {t('product.sold', { n: p.sales })}
                </span>
                <ShareButton
                  target={{ targetKind: 'product', targetId: p.id }}
                  title={p.title}
                  poster={{ kind: 'product', id: p.id }}
                />
              </div>
            </div>
            {p.media
              .filter((m) => m.type === 'video')
              .map((m) => (
                <video key={m.url} className="hero" src={m.url} controls playsInline />
              ))}
            <div className="card description">{p.description}</div>
            <div className="bottom-bar row">
              <ContactButton merchantId={p.merchantId} from={{ kind: 'product', id: p.id }} size="middle" fill="none" />
              <Button onClick={() => void toggleFav()} data-testid="favourite">
                {favourite ? <HeartFill /> : <HeartOutline />} {t('product.favourite')}
              </Button>
              <Button block color="danger" onClick={() => setBuying(p.id)} data-testid="product-buy">
                {t('sku.buyNow')}
              </Button>
            </div>
            <BuySheet productId={buying} onClose={() => setBuying(null)} />
          </div>
        );
      }}
    </Async>
  );
}

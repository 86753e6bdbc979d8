// A share poster in a sheet: the share is made first (its token goes into the poster's QR code), then
// the PNG is fetched with the sign-in (a promoter's poster needs it) and shown to long-press or save.
import { Button, DotLoading, Popup } from 'antd-mobile';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, errorText } from '../api.ts';
import { createShare, type ShareTarget } from './share.ts';

export type PosterOf =
  | { kind: 'product'; id: number }
  | { kind: 'room'; id: number }
  | { kind: 'promoter'; merchantId: number };

async function fetchPoster(of: PosterOf, share: string, lang: 'zh' | 'en'): Promise<Blob> {
  const query = { share, lang };
  const r =
    of.kind === 'product'
      ? await api.GET('/api/posters/products/{productId}', {
          params: { path: { productId: of.id }, query },
          parseAs: 'blob',
        })
      : of.kind === 'room'
        ? await api.GET('/api/posters/rooms/{roomId}', { params: { path: { roomId: of.id }, query }, parseAs: 'blob' })
        : await api.GET('/api/posters/promoter/{merchantId}', {
            params: { path: { merchantId: of.merchantId }, query },
            parseAs: 'blob',
          });
  if (!r.response.ok || !r.data) throw r.error ?? new Error(String(r.response.status));
  return r.data as Blob;
}

export function PosterSheet(props: { visible: boolean; onClose(): void; of: PosterOf; target: ShareTarget }) {
  const { t, i18n } = useTranslation();
  const [url, setUrl] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const { visible, of, target } = props;
  const lang = i18n.language === 'en' ? 'en' : 'zh';
  const key = `${JSON.stringify(of)}|${JSON.stringify(target)}|${lang}`;
  // `key` stands for of, target and lang (objects made anew on every render of the parent).
  // biome-ignore lint/correctness/useExhaustiveDependencies: key covers them
  useEffect(() => {
    if (!visible) return;
    let made: string | null = null;
    let live = true;
    setUrl(null);
    setError(null);
    createShare(target)
      .then((s) => fetchPoster(of, s.token, lang))
      .then((blob) => {
        made = URL.createObjectURL(blob);
        if (live) setUrl(made);
      })
      .catch((e) => live && setError(errorText(e)));
    return () => {
      live = false;
      if (made) URL.revokeObjectURL(made);
    };
  }, [visible, key]);
  return (
    <Popup visible={visible} onMaskClick={props.onClose} bodyClassName="sheet poster-sheet" destroyOnClose>
      <div className="sheet-title">{t('share.poster')}</div>
      {error ? (
        <div className="center muted">{error}</div>
      ) : url ? (
        <>
          <img className="poster" src={url} alt={t('share.poster')} data-testid="poster-image" />
          <div className="muted center">{t('share.posterHint')}</div>
          <a href={url} download="poster.png">
            <Button block color="primary">
              {t('share.savePoster')}
            </Button>
          </a>
        </>
      ) : (
        <div className="center">
          <DotLoading /> {t('share.drawing')}
        </div>
      )}
    </Popup>
  );
}

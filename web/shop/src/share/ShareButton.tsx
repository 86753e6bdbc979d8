// The share entry of a room, product, group or bargain page: 分享链接 and, where there is a poster,
// 分享海报 (the server draws it with a code of this share's link; long-press to save it in WeChat).
import { ActionSheet, Button } from 'antd-mobile';
import { SendOutline } from 'antd-mobile-icons';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PosterSheet, type PosterOf } from './PosterSheet.tsx';
import { type ShareTarget, shareTarget } from './share.ts';

export function ShareButton(props: {
  target: ShareTarget;
  title: string;
  /** What poster the share can have; none for group-buys and bargains (their pages have no poster). */
  poster?: PosterOf;
  className?: string;
  fill?: 'solid' | 'outline' | 'none';
  size?: 'mini' | 'small' | 'middle';
}) {
  const { t } = useTranslation();
  const [menu, setMenu] = useState(false);
  const [poster, setPoster] = useState(false);
  const open = () => (props.poster ? setMenu(true) : void shareTarget(props.target, props.title));
  return (
    <>
      <Button
        className={props.className}
        size={props.size ?? 'small'}
        fill={props.fill ?? 'outline'}
        onClick={open}
        data-testid="share"
      >
        <SendOutline /> {t('common.share')}
      </Button>
      {props.poster && (
        <>
          <ActionSheet
            visible={menu}
            onClose={() => setMenu(false)}
            cancelText={t('common.cancel')}
            actions={[
              { key: 'link', text: t('share.link'), onClick: () => void shareTarget(props.target, props.title) },
              { key: 'poster', text: t('share.poster'), onClick: () => setPoster(true) },
            ]}
            closeOnAction
            data-testid="share-menu"
          />
          <PosterSheet visible={poster} onClose={() => setPoster(false)} of={props.poster} target={props.target} />
        </>
      )}
    </>
  );
}

// Sharing from the shop: a share token from the server (POST /api/shares: the same thing shared
// again keeps its token), then the system share sheet where the browser has one (navigator.share),
// otherwise the link is copied with a toast. A guest shares as this device (the visitor key), so a
// viewer without an account still gets the credit once they sign in.
import type { paths } from '@livemall/sdk';
import { Dialog, Toast } from 'antd-mobile';
import { api, call, errorText } from '../api.ts';
import { i18n } from '../i18n.ts';
import { deviceId, track } from '../track.ts';

export type Share = paths['/api/shares']['post']['responses'][201]['content']['application/json'];
export type ShareTarget = {
  targetKind: 'room' | 'product' | 'group_buy' | 'bargain' | 'promoter' | 'invite';
  targetId: number;
  merchantId?: number;
};

export function createShare(target: ShareTarget): Promise<Share> {
  return call(() => api.POST('/api/shares', { body: { ...target, visitorKey: deviceId() } }));
}

async function copy(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // No clipboard (insecure origin, old WebView): the textarea trick still works in most.
    const area = document.createElement('textarea');
    area.value = text;
    document.body.appendChild(area);
    area.select();
    const ok = document.execCommand?.('copy') ?? false;
    area.remove();
    return ok;
  }
}

/** Hands a link to the system share sheet, or copies it (with a toast); shows it when neither works. */
export async function sendLink(url: string, title: string): Promise<'shared' | 'copied' | 'shown' | 'cancelled'> {
  const t = i18n.t.bind(i18n);
  if (typeof navigator.share === 'function') {
    try {
      await navigator.share({ title, text: title, url });
      return 'shared';
    } catch (e) {
      // The shopper closed the sheet: nothing to say. Any other failure falls through to copying.
      if (e instanceof DOMException && e.name === 'AbortError') return 'cancelled';
    }
  }
  if (await copy(url)) {
    Toast.show({ content: t('common.linkCopied') });
    return 'copied';
  }
  await Dialog.alert({ title: t('share.copyByHand'), content: url, confirmText: t('common.ok') });
  return 'shown';
}

/** Make (or reuse) the share, then send its link; tells the shopper when the server refuses. */
export async function shareTarget(target: ShareTarget, title: string): Promise<Share | null> {
  try {
    const s = await createShare(target);
    if (target.targetKind === 'room') track('share', { roomId: target.targetId });
    if (target.targetKind === 'product') track('share', { productId: target.targetId });
    await sendLink(s.url, title);
    return s;
  } catch (e) {
    Toast.show({ content: errorText(e) });
    return null;
  }
}

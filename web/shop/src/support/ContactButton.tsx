// 联系客服: opens (or reuses) a conversation with the shop, remembering where the shopper came from
// (a product, an order, an after-sales request, a live room), and goes to the chat.
import { Button, Toast } from 'antd-mobile';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { $api, errorText, session } from '../api.ts';

export type ContactFrom = { kind: 'product' | 'order' | 'aftersale' | 'room'; id: number };

export function ContactButton(props: {
  merchantId: number;
  from?: ContactFrom | undefined;
  roomId?: number | undefined;
  size?: 'mini' | 'small' | 'middle';
  fill?: 'solid' | 'outline' | 'none';
}) {
  const { t } = useTranslation();
  const nav = useNavigate();
  const open = $api.useMutation('post', '/api/me/support/conversations');
  const [busy, setBusy] = useState(false);
  const go = async () => {
    if (!session.get()) {
      Toast.show({ content: t('common.signInFirst') });
      void nav('/login');
      return;
    }
    setBusy(true);
    try {
      const r = await open.mutateAsync({
        body: {
          merchantId: props.merchantId,
          ...(props.from ? { from: props.from } : {}),
          ...(props.roomId ? { roomId: props.roomId } : {}),
        },
      });
      // The card the chat offers to send first: the product or order the shopper asked from.
      const card = props.from && (props.from.kind === 'product' || props.from.kind === 'order') ? props.from : null;
      void nav(`/support/${r.conversation.id}${card ? `?card=${card.kind}:${card.id}` : ''}`);
    } catch (e) {
      Toast.show({ content: errorText(e) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Button
      size={props.size ?? 'small'}
      fill={props.fill ?? 'outline'}
      loading={busy}
      onClick={() => void go()}
      data-testid="contact-service"
    >
      {t('service.contact')}
    </Button>
  );
}

// One message of a customer-service chat, as the shopper sees it. Text is rendered as text (never HTML).
import type { SupportMessage } from '@livemall/sdk';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { yuan } from '../api.ts';

export function MessageBubble(props: { m: SupportMessage; read: boolean }) {
  const { t } = useTranslation();
  const { m } = props;
  if (m.from === 'system' || m.card?.type === 'system') {
    return (
      <div className="support-system muted" data-testid="support-system">
        {m.text}
      </div>
    );
  }
  const mine = m.from === 'shopper';
  const who = m.from === 'bot' ? t('service.bot') : m.from === 'agent' ? t('service.agent') : '';
  const card = m.card;
  return (
    <div className={mine ? 'support-row mine' : 'support-row'} data-testid="support-message" data-from={m.from}>
      {who && <div className="support-who muted">{who}</div>}
      <div className="support-bubble">
        {card?.type === 'image' ? (
          <img className="support-image" src={card.imageUrl} alt={t('service.image')} />
        ) : card?.type === 'product' ? (
          <Link to={`/product/${card.productId}`} className="support-card" data-testid="support-product-card">
            {card.coverUrl && <img src={card.coverUrl} alt="" />}
            <div>
              <div>{card.title}</div>
              <div className="price">{yuan(card.minPriceFen)}</div>
            </div>
          </Link>
        ) : card?.type === 'order' ? (
          <Link to={`/orders/${card.orderId}`} className="support-card" data-testid="support-order-card">
            <div>
              <div>
                {t('service.orderCard')} {card.orderNo}
              </div>
              <div className="muted">{yuan(card.totalFen)}</div>
            </div>
          </Link>
        ) : (
          <span className="support-text">{m.text}</span>
        )}
      </div>
      {mine && (
        <div className="support-receipt muted" data-testid="support-receipt">
          {props.read ? t('service.read') : t('service.unread')}
        </div>
      )}
    </div>
  );
}

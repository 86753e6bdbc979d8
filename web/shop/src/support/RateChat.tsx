// After the chat ends: the shopper rates it once, 1–5 stars (the shop's satisfaction metric).
import { Button, Rate, Toast } from 'antd-mobile';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { $api, errorText } from '../api.ts';

export function RateChat(props: { conversationId: number; rated: number | null }) {
  const { t } = useTranslation();
  const [stars, setStars] = useState(5);
  const [done, setDone] = useState<number | null>(props.rated);
  const rate = $api.useMutation('post', '/api/me/support/conversations/{conversationId}/rating');
  if (done !== null)
    return (
      <div className="support-offer" data-testid="support-rated">
        {t('service.thanks')} <Rate readOnly value={done} />
      </div>
    );
  return (
    <div className="support-offer" data-testid="support-rate">
      <span>{t('service.rateAsk')}</span>
      <Rate value={stars} onChange={setStars} />
      <Button
        size="mini"
        color="primary"
        onClick={async () => {
          try {
            await rate.mutateAsync({ params: { path: { conversationId: props.conversationId } }, body: { stars } });
            setDone(stars);
          } catch (e) {
            Toast.show({ content: errorText(e) });
          }
        }}
      >
        {t('service.submitRating')}
      </Button>
    </div>
  );
}

// 客服 (customer service): the workbench, canned replies, tickets with SLA timers, the service metrics
// and the bot's FAQ.
import { Card, Tabs } from 'antd';
import { useTranslation } from 'react-i18next';
import { CannedReplies } from '../service/CannedReplies.tsx';
import { Faqs } from '../service/Faqs.tsx';
import { Metrics } from '../service/Metrics.tsx';
import { Tickets } from '../service/Tickets.tsx';
import { Workbench } from '../service/Workbench.tsx';
import '../service/service.css';

export default function Service() {
  const { t } = useTranslation();
  return (
    <Card title={t('service.title')} data-testid="service-page">
      <Tabs
        destroyInactiveTabPane
        items={[
          { key: 'workbench', label: t('service.workbench'), children: <Workbench /> },
          { key: 'tickets', label: t('service.tickets'), children: <Tickets /> },
          { key: 'metrics', label: t('service.metrics'), children: <Metrics /> },
          { key: 'canned', label: t('service.cannedReplies'), children: <CannedReplies /> },
          { key: 'faq', label: t('service.faqs'), children: <Faqs /> },
        ]}
      />
    </Card>
  );
}

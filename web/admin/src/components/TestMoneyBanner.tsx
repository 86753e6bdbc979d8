// On every console page while the payment sandbox is on: orders paid in its cashier are test money.
import { Alert } from 'antd';
import { useTranslation } from 'react-i18next';
import { $api } from '../api.ts';

export function TestMoneyBanner() {
  const { t } = useTranslation();
  const methods = $api.useQuery('get', '/api/payments/methods');
  if (!methods.data?.sandbox) return null;
  return (
    <Alert
      type="warning"
      showIcon
      banner
      data-testid="test-money-banner"
      style={{ marginBottom: 12 }}
      title={t('banner.testMoney')}
    />
  );
}

// On every console page while the payment sandbox is on: orders paid in its cashier are test money.
import { Alert } from 'antd';
import { call, api } from '../api.ts';
import { useAsync } from './useAsync.ts';

const EN = 'Payment sandbox on: orders paid in the sandbox cashier are test money';

export function TestMoneyBanner() {
  const methods = useAsync(() => call(() => api.GET('/api/payments/methods')), []);
  if (!methods.data?.sandbox) return null;
  return (
    <Alert type="warning" showIcon banner data-testid="test-money-banner" style={{ marginBottom: 12 }}
      message={`测试支付已开启：沙箱收银台支付的订单是测试金额，不会产生真实扣款 · ${EN}`} />
  );
}

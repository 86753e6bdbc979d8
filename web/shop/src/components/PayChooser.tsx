// How the shopper pays a placed order or a coin top-up: the ways this platform takes money, as the
// server lists them (GET /api/payments/methods). Alipay starts the payment and goes to the page the
// Alipay adapter signed; WeChat Pay (JSAPI) needs the payer's WeChat identity, which only the
// mini-program has, so the H5 shop says where to pay with it; the sandbox, only where it is on,
// opens the test-money cashier in the sheet. A platform with the sandbox alone goes straight to it.
import { Button, Result, Space } from 'antd-mobile';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { $api } from '../api.ts';
import { errorMessage } from '../i18n.ts';
import { Async } from './Async.tsx';

type Provider = 'sandbox' | 'wechat' | 'alipay';

export interface PayChooserProps {
  paymentNo: string;
  /** The test-money cashier the server handed out with the payment (sandbox on), else null. */
  cashierUrl: string | null;
  /** Where Alipay sends the shopper back after paying (a path of this site). */
  returnPath: string;
}

/** The WeChat in-app browser (the H5 shop opened inside WeChat). */
const inWechat = () => /MicroMessenger/i.test(navigator.userAgent);

export function PayChooser(props: PayChooserProps) {
  const { t } = useTranslation();
  const methods = $api.useQuery('get', '/api/payments/methods');
  const start = $api.useMutation('post', '/api/payments/{paymentNo}/start');
  const [chosen, setChosen] = useState<Provider | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  const payWithAlipay = async () => {
    setChosen('alipay');
    setFailure(null);
    try {
      const r = await start.mutateAsync({
        params: { path: { paymentNo: props.paymentNo } },
        body: { provider: 'alipay', returnUrl: props.returnPath },
      });
      if (r.cashierUrl) window.location.assign(r.cashierUrl);
    } catch (e) {
      setFailure(errorMessage(e));
    }
  };
  const choose = (p: Provider) => {
    if (p === 'alipay') {
      void payWithAlipay();
      return;
    }
    setFailure(null);
    setChosen(p);
  };

  return (
    <Async query={methods}>
      {({ methods: list }) => {
        const sandboxOnly = list.length === 1 && list[0]!.provider === 'sandbox';
        if ((sandboxOnly || chosen === 'sandbox') && props.cashierUrl) return <TestCashier url={props.cashierUrl} />;
        if (list.length === 0) return <Result status="info" title={t('pay.none')} data-testid="pay-none" />;
        return (
          <div data-testid="pay-methods">
            <div className="center">{t('pay.choose')}</div>
            <Space direction="vertical" block>
              {list.map((m) => (
                <Button
                  key={m.provider}
                  block
                  data-testid={`pay-${m.provider}`}
                  data-provider={m.provider}
                  color={chosen === m.provider ? 'primary' : 'default'}
                  loading={m.provider === 'alipay' && start.isPending}
                  onClick={() => choose(m.provider)}
                >
                  {t(`pay.${m.provider}`)}
                  {m.testMoney && <small> · {t('pay.testMoney')}</small>}
                </Button>
              ))}
            </Space>
            {chosen === 'wechat' && (
              <div className="center reason" data-testid="pay-wechat-hint">
                {inWechat() ? t('pay.wechatInWechat') : t('pay.wechatOutside')}
              </div>
            )}
            {failure && (
              <div className="center reason" data-testid="pay-error">
                {failure}
              </div>
            )}
          </div>
        );
      }}
    </Async>
  );
}

/** The sandbox cashier in the sheet, under the same test-money label everywhere. */
function TestCashier(props: { url: string }) {
  const { t } = useTranslation();
  return (
    <div>
      <div className="center reason" data-testid="pay-test-money">
        {t('pay.sandbox')} · {t('pay.testMoney')}
      </div>
      <iframe title="cashier" className="cashier" src={props.url} data-testid="cashier" />
    </div>
  );
}

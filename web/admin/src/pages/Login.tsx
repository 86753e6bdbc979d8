import { Button, Card, Form, Input, App } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, errorText, session } from '../api.ts';
import { captchaChallenge, unwrap, type CaptchaChallenge } from '@livemall/sdk';

export function Login() {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const { message } = App.useApp();
  // After several failed sign-ins the server asks for a captcha (a real provider would show its widget here).
  const [captcha, setCaptcha] = useState<CaptchaChallenge | null>(null);
  const submit = async (v: { phone: string; password: string; captchaAnswer?: string }) => {
    setBusy(true);
    try {
      const answer = captcha && v.captchaAnswer ? { captcha: `${captcha.challengeId}:${v.captchaAnswer}` } : {};
      const body = { phone: v.phone, password: v.password, ...answer };
      const r = unwrap(await api.POST('/api/auth/login', { body }));
      session.set({ accessToken: r.tokens.accessToken, userId: r.user.id, nickname: r.user.nickname });
    } catch (e) {
      setCaptcha(captchaChallenge(e));
      void message.error(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div style={{ display: 'grid', placeItems: 'center', minHeight: '100vh', background: '#f5f5f7' }}>
      <Card title={t('login.title')} style={{ width: 360 }}>
        <Form layout="vertical" onFinish={submit}>
          <Form.Item name="phone" label={t('login.phone')} rules={[{ required: true }]}>
            <Input data-testid="phone" placeholder="13800000001" />
          </Form.Item>
          <Form.Item name="password" label={t('login.password')} rules={[{ required: true }]}>
            <Input.Password data-testid="password" />
          </Form.Item>
          {captcha && (
            <Form.Item name="captchaAnswer" label={captcha.prompt} rules={[{ required: true }]}>
              <Input data-testid="captcha" />
            </Form.Item>
          )}
          <Button type="primary" htmlType="submit" block loading={busy} data-testid="login">
            {t('login.signIn')}
          </Button>
        </Form>
      </Card>
    </div>
  );
}

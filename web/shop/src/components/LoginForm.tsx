import { Button, Form, Input, Toast } from 'antd-mobile';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { captchaChallenge, type CaptchaChallenge } from '@livemall/sdk';
import { api, errorText, session, unwrap } from '../api.ts';

/** Sign in or register inline (also inside the room's buy sheet, so the show keeps playing). */
export function LoginForm(props: { onDone?: () => void }) {
  const { t } = useTranslation();
  const [mode, setMode] = useState<'login' | 'register'>('login');
  const [busy, setBusy] = useState(false);
  // After several failed sign-ins the server asks for a captcha (a real provider would show its widget here).
  const [captcha, setCaptcha] = useState<CaptchaChallenge | null>(null);
  const submit = async (v: { phone: string; password: string; captchaAnswer?: string }) => {
    setBusy(true);
    try {
      const answer = captcha && v.captchaAnswer ? { captcha: `${captcha.challengeId}:${v.captchaAnswer}` } : {};
      const r =
        mode === 'login'
          ? unwrap(await api.POST('/api/auth/login', { body: { phone: v.phone, password: v.password, ...answer } }))
          : unwrap(await api.POST('/api/auth/register', { body: { phone: v.phone, password: v.password } }));
      session.set({ accessToken: r.tokens.accessToken, userId: r.user.id, nickname: r.user.nickname });
      setCaptcha(null);
      props.onDone?.();
    } catch (e) {
      setCaptcha(captchaChallenge(e));
      Toast.show({ content: errorText(e) });
    } finally {
      setBusy(false);
    }
  };
  const other = mode === 'login' ? 'register' : 'login';
  const label = { login: t('login.signIn'), register: t('login.register') };
  return (
    <Form
      layout="horizontal"
      onFinish={submit}
      footer={
        <>
          <Button block type="submit" color="primary" loading={busy} data-testid="login-submit">
            {label[mode]}
          </Button>
          <Button block fill="none" onClick={() => setMode(other)}>
            {label[other]}
          </Button>
        </>
      }
    >
      <Form.Item
        name="phone"
        label={t('login.phone')}
        rules={[
          { required: true, message: t('form.required') },
          { pattern: /^1\d{10}$/, message: t('form.phone') },
        ]}
      >
        <Input type="tel" data-testid="login-phone" placeholder="13900000001" />
      </Form.Item>
      <Form.Item
        name="password"
        label={t('login.password')}
        rules={[
          { required: true, message: t('form.required') },
          { min: 6, message: t('form.passwordShort') },
        ]}
      >
        <Input type="password" data-testid="login-password" />
      </Form.Item>
      {captcha && mode === 'login' && (
        <Form.Item
          name="captchaAnswer"
          label={captcha.prompt}
          rules={[{ required: true, message: t('form.required') }]}
        >
          <Input data-testid="login-captcha" />
        </Form.Item>
      )}
    </Form>
  );
}

import { Button, Form, Input, Toast } from 'antd-mobile';
import { useState } from 'react';
import { captchaChallenge, type CaptchaChallenge } from '@livemall/sdk';
import { api, errorText, session, unwrap } from '../api.ts';
import { t } from '../i18n.ts';

/** Sign in or register inline (also inside the room's buy sheet, so the show keeps playing). */
export function LoginForm(props: { onDone?: () => void }) {
  const [mode, setMode] = useState<'login' | 'register'>('login');
  const [busy, setBusy] = useState(false);
  // After several failed sign-ins the server asks for a captcha (a real provider would show its widget here).
  const [captcha, setCaptcha] = useState<CaptchaChallenge | null>(null);
  const submit = async (v: { phone: string; password: string; captchaAnswer?: string }) => {
    setBusy(true);
    try {
      const answer = captcha && v.captchaAnswer ? { captcha: `${captcha.challengeId}:${v.captchaAnswer}` } : {};
      const r = mode === 'login'
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
  return (
    <Form layout="horizontal" onFinish={submit} footer={
      <>
        <Button block type="submit" color="primary" loading={busy} data-testid="login-submit">{t(mode === 'login' ? '登录' : '注册')}</Button>
        <Button block fill="none" onClick={() => setMode(mode === 'login' ? 'register' : 'login')}>{t(mode === 'login' ? '注册' : '登录')}</Button>
      </>
    }>
      <Form.Item name="phone" label={t('手机号')} rules={[{ required: true, pattern: /^1\d{10}$/ }]}><Input type="tel" data-testid="login-phone" placeholder="13900000001" /></Form.Item>
      <Form.Item name="password" label={t('密码')} rules={[{ required: true, min: 6 }]}><Input type="password" data-testid="login-password" /></Form.Item>
      {captcha && mode === 'login' && (
        <Form.Item name="captchaAnswer" label={captcha.prompt} rules={[{ required: true }]}>
          <Input data-testid="login-captcha" />
        </Form.Item>
      )}
    </Form>
  );
}

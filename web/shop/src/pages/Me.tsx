import { Button, List, Selector } from 'antd-mobile';
import { useNavigate } from 'react-router-dom';
import { api, call, signOut, useSession } from '../api.ts';
import { AddressForm } from '../components/AddressForm.tsx';
import { Async, useAsync } from '../components/Async.tsx';
import { LoginForm } from '../components/LoginForm.tsx';
import { setLang, t, useLang } from '../i18n.ts';

export function Me() {
  const user = useSession();
  const lang = useLang();
  const nav = useNavigate();
  const addresses = useAsync(async () => (user ? call(() => api.GET('/api/me/addresses')) : []), [user?.userId]);
  const favs = useAsync(async () => (user ? call(() => api.GET('/api/me/favourites')) : []), [user?.userId]);
  const follows = useAsync(async () => (user ? call(() => api.GET('/api/me/follows')) : []), [user?.userId]);
  return (
    <div className="page">
      {user ? (
        <>
          <div className="card"><h2 data-testid="me-name">{user.nickname}</h2></div>
          <List>
            <List.Item onClick={() => nav('/orders')} arrow>{t('订单')}</List.Item>
            <List.Item onClick={() => nav('/cart')} arrow>{t('购物车')}</List.Item>
            <List.Item onClick={() => nav('/coupons')} arrow>{t('我的优惠券')}</List.Item>
            <List.Item onClick={() => nav('/points')} arrow>{t('积分')}</List.Item>
          </List>
          <List header={t('我的收藏')}>
            <Async state={favs}>{(list) => <>{list.map((p) => <List.Item key={p.id} onClick={() => nav(`/product/${p.id}`)} arrow>{p.title}</List.Item>)}</>}</Async>
          </List>
          <List header={t('我的关注')}>
            <Async state={follows}>{(list) => <>{list.map((f) => <List.Item key={f.merchantId}>{f.name}</List.Item>)}</>}</Async>
          </List>
          <List header={t('我的地址')}>
            <Async state={addresses}>{(list) => <>{list.map((a) => <List.Item key={a.id} description={`${a.province}${a.city}${a.district}${a.detail}`}>{a.name} {a.phone}</List.Item>)}</>}</Async>
          </List>
          <List header={t('添加地址')}><AddressForm onSaved={() => addresses.reload()} /></List>
        </>
      ) : <LoginForm />}
      <List header={t('语言')}>
        <List.Item><Selector value={[lang]} onChange={(v) => v[0] && setLang(v[0])} options={[{ label: '中文', value: 'zh' as const }, { label: 'English', value: 'en' as const }]} /></List.Item>
      </List>
      {user && <Button block onClick={() => { void signOut(); }}>{t('退出登录')}</Button>}
    </div>
  );
}

export function Login() {
  const nav = useNavigate();
  return <div className="page"><LoginForm onDone={() => nav(-1)} /></div>;
}

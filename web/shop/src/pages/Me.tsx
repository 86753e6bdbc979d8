import { LANGUAGE_NAMES, LANGS, useLanguage } from '@livemall/sdk';
import { Button, List, Selector } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { $api, signOut, useSession } from '../api.ts';
import { AddressForm } from '../components/AddressForm.tsx';
import { Async } from '../components/Async.tsx';
import { LoginForm } from '../components/LoginForm.tsx';

export function Me() {
  const { t } = useTranslation();
  const user = useSession();
  const [lang, setLang] = useLanguage();
  const nav = useNavigate();
  const signedIn = { enabled: !!user };
  const addresses = $api.useQuery('get', '/api/me/addresses', {}, signedIn);
  const favs = $api.useQuery('get', '/api/me/favourites', {}, signedIn);
  const follows = $api.useQuery('get', '/api/me/follows', {}, signedIn);
  return (
    <div className="page">
      {user ? (
        <>
          <div className="card">
            <h2 data-testid="me-name">{user.nickname}</h2>
          </div>
          <List>
            <List.Item onClick={() => nav('/orders')} arrow>
              {t('tabs.orders')}
            </List.Item>
            <List.Item onClick={() => nav('/cart')} arrow>
              {t('tabs.cart')}
            </List.Item>
            <List.Item onClick={() => nav('/coupons')} arrow>
              {t('deals.myCoupons')}
            </List.Item>
            <List.Item onClick={() => nav('/points')} arrow>
              {t('me.points')}
            </List.Item>
            <List.Item onClick={() => nav('/invite')} arrow data-testid="me-invite">
              {t('invite.title')}
            </List.Item>
            <List.Item onClick={() => nav('/distribution')} arrow data-testid="me-promoter">
              {t('promoter.centre')}
            </List.Item>
          </List>
          <List header={t('me.saved')}>
            <Async query={favs}>
              {(list) => (
                <>
                  {list.map((p) => (
                    <List.Item key={p.id} onClick={() => nav(`/product/${p.id}`)} arrow>
                      {p.title}
                    </List.Item>
                  ))}
                </>
              )}
            </Async>
          </List>
          <List header={t('me.following')}>
            <Async query={follows}>
              {(list) => (
                <>
                  {list.map((f) => (
                    <List.Item key={f.merchantId}>{f.name}</List.Item>
                  ))}
                </>
              )}
            </Async>
          </List>
          <List header={t('me.addresses')}>
            <Async query={addresses}>
              {(list) => (
                <>
                  {list.map((a) => (
                    <List.Item key={a.id} description={`${a.province}${a.city}${a.district}${a.detail}`}>
                      {a.name} {a.phone}
                    </List.Item>
                  ))}
                </>
              )}
            </Async>
          </List>
          <List header={t('me.addAddress')}>
            <AddressForm onSaved={() => undefined} />
          </List>
        </>
      ) : (
        <LoginForm />
      )}
      <List header={t('me.language')}>
        <List.Item>
          <Selector
            value={[lang]}
            onChange={(v) => v[0] && setLang(v[0])}
            data-testid="language"
            options={LANGS.map((value) => ({ label: LANGUAGE_NAMES[value], value }))}
          />
        </List.Item>
      </List>
      {user && (
        <Button
          block
          onClick={() => {
            void signOut();
          }}
        >
          {t('common.signOut')}
        </Button>
      )}
    </div>
  );
}

export function Login() {
  const nav = useNavigate();
  return (
    <div className="page">
      <LoginForm onDone={() => nav(-1)} />
    </div>
  );
}

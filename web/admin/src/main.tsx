// The merchant & platform console. Menus follow the role in the current shop: owners and staff
// run the shop, anchors get the live console, platform operators get the platform pages.
import { LANGS, LANGUAGE_NAMES, useLabels, useLanguage } from '@livemall/sdk';
import { QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, Button, ConfigProvider, Layout, Menu, Select, Space, Typography } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { lazy, StrictMode, Suspense, useEffect, useMemo, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider, useTranslation } from 'react-i18next';
import { BrowserRouter, Navigate, Route, Routes, useLocation, useNavigate } from 'react-router-dom';
import { $api, queryClient, signOut, useSession, type Me } from './api.ts';
import { i18n } from './i18n.ts';
import { Loadable } from './components/Loadable.tsx';
import { ShopStatusBanner } from './components/ShopStatus.tsx';
import { TestMoneyBanner } from './components/TestMoneyBanner.tsx';
import { Login } from './pages/Login.tsx';
import { WorkspaceContext, type Workspace } from './workspace.tsx';
import './styles.css';

const Dashboard = lazy(() => import('./pages/Dashboard.tsx'));
const Data = lazy(() => import('./pages/Data.tsx'));
const Products = lazy(() => import('./pages/Products.tsx'));
const Inventory = lazy(() => import('./pages/Inventory.tsx'));
const Orders = lazy(() => import('./pages/Orders.tsx'));
const Aftersales = lazy(() => import('./pages/Aftersales.tsx'));
const Rooms = lazy(() => import('./pages/Rooms.tsx'));
const LiveConsole = lazy(() => import('./pages/LiveConsole.tsx'));
const Platform = lazy(() => import('./pages/Platform.tsx'));
const Marketing = lazy(() => import('./pages/Marketing.tsx'));
const Members = lazy(() => import('./pages/Members.tsx'));
const SearchWords = lazy(() => import('./pages/SearchWords.tsx'));
const Reconciliation = lazy(() => import('./pages/Reconciliation.tsx'));
const Growth = lazy(() => import('./pages/growth/Growth.tsx'));
const Distribution = lazy(() => import('./pages/distribution/Distribution.tsx'));
const Service = lazy(() => import('./pages/Service.tsx'));

type Role = 'merchant_owner' | 'merchant_staff' | 'anchor';
const SHOP: Role[] = ['merchant_owner', 'merchant_staff'];
const MENU = [
  { key: '/dashboard', label: 'nav.dashboard', roles: [...SHOP, 'anchor'] },
  { key: '/products', label: 'nav.products', roles: SHOP },
  { key: '/inventory', label: 'nav.inventory', roles: SHOP },
  { key: '/orders', label: 'nav.orders', roles: SHOP },
  { key: '/aftersales', label: 'nav.aftersales', roles: SHOP },
  { key: '/service', label: 'nav.service', roles: SHOP },
  { key: '/live', label: 'nav.live', roles: [...SHOP, 'anchor'] },
  { key: '/marketing', label: 'nav.marketing', roles: SHOP },
  { key: '/members', label: 'nav.members', roles: SHOP },
  { key: '/search-words', label: 'searchWords.nav', roles: SHOP },
  { key: '/growth', label: 'growth.nav', roles: SHOP },
  { key: '/distribution', label: 'distribution.nav', roles: SHOP },
  { key: '/data', label: 'nav.data', roles: SHOP },
  { key: '/reconciliation', label: 'nav.reconciliation', roles: SHOP },
  { key: '/platform', label: 'nav.platform', roles: 'platform' },
  { key: '/reconcile-all', label: 'nav.reconcileAll', roles: 'platform' },
] as const satisfies ReadonlyArray<{ key: string; label: string; roles: readonly Role[] | 'platform' }>;

function Shell() {
  const user = useSession();
  if (!user) return <Login />;
  return <SignedIn />;
}

function SignedIn() {
  const me = $api.useQuery('get', '/api/me');
  return <Loadable query={me}>{(m) => <Console me={m} reload={() => void me.refetch()} />}</Loadable>;
}

function Console({ me, reload }: { me: Me; reload(): void }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const [merchantId, setMerchantId] = useState<number | null>(
    () => Number(localStorage.getItem('lm.admin.merchant')) || me.merchants[0]?.id || null,
  );
  const merchant = me.merchants.find((m) => m.id === merchantId) ?? me.merchants[0] ?? null;
  useEffect(() => {
    if (merchant) localStorage.setItem('lm.admin.merchant', String(merchant.id));
  }, [merchant]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: reload is the same action on every render
  const ws: Workspace = useMemo(() => ({ me, merchant, setMerchant: setMerchantId, reload }), [me, merchant]);
  const nav = useNavigate();
  const loc = useLocation();
  const items = MENU.filter((m) =>
    m.roles === 'platform'
      ? me.user.isPlatformAdmin
      : !!merchant && (m.roles as readonly string[]).includes(merchant.role),
  );
  const home = items[0]?.key ?? '/platform';
  return (
    <WorkspaceContext.Provider value={ws}>
      <Layout style={{ minHeight: '100vh' }}>
        <Layout.Sider breakpoint="lg" collapsedWidth={0} theme="light">
          <div style={{ padding: 16, fontWeight: 700 }}>{t('nav.brand')}</div>
          <Menu
            mode="inline"
            selectedKeys={[items.find((i) => loc.pathname.startsWith(i.key))?.key ?? '']}
            items={items.map((i) => ({ key: i.key, label: t(i.label) }))}
            onClick={(e) => nav(e.key)}
            data-testid="menu"
          />
        </Layout.Sider>
        <Layout>
          <Layout.Header
            style={{ background: '#fff', display: 'flex', alignItems: 'center', justifyContent: 'flex-end', gap: 12 }}
          >
            <Space>
              {me.merchants.length > 0 && (
                <Select
                  value={merchant?.id}
                  style={{ minWidth: 200 }}
                  onChange={(id) => {
                    setMerchantId(id);
                    void nav(home);
                  }}
                  data-testid="merchant-switch"
                  aria-label={t('nav.currentShop')}
                  options={me.merchants.map((m) => ({
                    value: m.id,
                    label: `${m.name} · ${labels.label('role', m.role)}`,
                  }))}
                />
              )}
              <LanguageSwitch />
              <Typography.Text>{me.user.nickname}</Typography.Text>
              <Button onClick={signOut}>{t('nav.signOut')}</Button>
            </Space>
          </Layout.Header>
          <Layout.Content style={{ margin: 16 }}>
            <TestMoneyBanner />
            {merchant && <ShopStatusBanner status={merchant.status} />}
            <Suspense fallback={null}>
              <Routes key={merchant?.id ?? 0}>
                {merchant && <Route path="/dashboard" element={<Dashboard />} />}
                {merchant && <Route path="/products" element={<Products />} />}
                {merchant && <Route path="/inventory" element={<Inventory />} />}
                {merchant && <Route path="/orders" element={<Orders />} />}
                {merchant && <Route path="/aftersales" element={<Aftersales />} />}
                {merchant && <Route path="/service" element={<Service />} />}
                {merchant && <Route path="/live" element={<Rooms />} />}
                {merchant && <Route path="/live/:roomId" element={<LiveConsole />} />}
                {merchant && <Route path="/marketing" element={<Marketing />} />}
                {merchant && <Route path="/members" element={<Members />} />}
                {merchant && <Route path="/search-words" element={<SearchWords />} />}
                {merchant && <Route path="/growth" element={<Growth />} />}
                {merchant && <Route path="/distribution" element={<Distribution />} />}
                {merchant && <Route path="/data" element={<Data />} />}
                {merchant && <Route path="/reconciliation" element={<Reconciliation />} />}
                {me.user.isPlatformAdmin && <Route path="/reconcile-all" element={<Reconciliation platform />} />}
                {me.user.isPlatformAdmin && <Route path="/platform" element={<Platform />} />}
                <Route path="*" element={<Navigate to={home} replace />} />
              </Routes>
            </Suspense>
          </Layout.Content>
        </Layout>
      </Layout>
    </WorkspaceContext.Provider>
  );
}

/** 中文 / English for the whole console (and the shop in this browser). */
function LanguageSwitch() {
  const { t } = useTranslation();
  const [lang, setLang] = useLanguage();
  const options = LANGS.map((value) => ({ value, label: LANGUAGE_NAMES[value] }));
  return (
    <Select
      value={lang}
      onChange={setLang}
      options={options}
      style={{ width: 100 }}
      data-testid="language-switch"
      aria-label={t('nav.language')}
    />
  );
}

/** antd's own texts (pagination, pickers, confirm buttons, validation) follow the language. */
/** The brand red and secondary text dark enough to read (WCAG AA 4.5:1; e2e/accessibility.spec.ts checks it). */
const CONSOLE_THEME = {
  token: {
    colorPrimary: '#d70f3b',
    colorTextDescription: 'rgba(0, 0, 0, 0.65)',
    colorTextTertiary: 'rgba(0, 0, 0, 0.6)',
    colorTextPlaceholder: 'rgba(0, 0, 0, 0.55)',
  },
  // The selected menu item sits on a tint of the brand colour: its text one shade darker.
  components: { Menu: { itemSelectedColor: '#a50d2e' } },
};

function Localised() {
  const {
    i18n: { language },
  } = useTranslation();
  return (
    <ConfigProvider locale={language === 'en' ? enUS : zhCN} theme={CONSOLE_THEME}>
      <AntApp>
        <BrowserRouter basename={import.meta.env.BASE_URL.replace(/\/$/, '')}>
          <Shell />
        </BrowserRouter>
      </AntApp>
    </ConfigProvider>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <I18nextProvider i18n={i18n}>
      <QueryClientProvider client={queryClient}>
        <Localised />
      </QueryClientProvider>
    </I18nextProvider>
  </StrictMode>,
);

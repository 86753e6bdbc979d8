// The merchant & platform console. Menus follow the role in the current shop: owners and staff
// run the shop, anchors get the live console, platform operators get the platform pages.
import { App as AntApp, Button, ConfigProvider, Layout, Menu, Select, Space, Typography } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import { lazy, StrictMode, Suspense, useEffect, useMemo, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter, Navigate, Route, Routes, useLocation, useNavigate } from 'react-router-dom';
import { loadMe, signOut, useSession, type Me } from './api.ts';
import { Loadable } from './components/Loadable.tsx';
import { ShopStatusBanner } from './components/ShopStatus.tsx';
import { TestMoneyBanner } from './components/TestMoneyBanner.tsx';
import { useAsync } from './components/useAsync.ts';
import { initLanguage, setLanguage, useLanguage } from './language.ts';
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
const Reconciliation = lazy(() => import('./pages/Reconciliation.tsx'));

type Role = 'merchant_owner' | 'merchant_staff' | 'anchor';
const MENU: Array<{ key: string; label: string; roles: Role[] | 'platform' }> = [
  { key: '/dashboard', label: '概览 Dashboard', roles: ['merchant_owner', 'merchant_staff', 'anchor'] },
  { key: '/products', label: '商品 Products', roles: ['merchant_owner', 'merchant_staff'] },
  { key: '/inventory', label: '库存 Inventory', roles: ['merchant_owner', 'merchant_staff'] },
  { key: '/orders', label: '订单 Orders', roles: ['merchant_owner', 'merchant_staff'] },
  { key: '/aftersales', label: '售后 After-sales', roles: ['merchant_owner', 'merchant_staff'] },
  { key: '/live', label: '直播 Live', roles: ['merchant_owner', 'merchant_staff', 'anchor'] },
  { key: '/marketing', label: '营销 Marketing', roles: ['merchant_owner', 'merchant_staff'] },
  { key: '/members', label: '会员 Members', roles: ['merchant_owner', 'merchant_staff'] },
  { key: '/data', label: '数据 Data', roles: ['merchant_owner', 'merchant_staff'] },
  { key: '/reconciliation', label: '对账 Reconciliation', roles: ['merchant_owner', 'merchant_staff'] },
  { key: '/platform', label: '平台 Platform', roles: 'platform' },
  { key: '/reconcile-all', label: '平台对账 All shops', roles: 'platform' },
];

function Shell() {
  const user = useSession();
  if (!user) return <Login />;
  return <SignedIn />;
}

function SignedIn() {
  const me = useAsync(loadMe, []);
  return <Loadable state={me}>{(m) => <Console me={m} reload={me.reload} />}</Loadable>;
}

function Console({ me, reload }: { me: Me; reload(): void }) {
  const [merchantId, setMerchantId] = useState<number | null>(() => Number(localStorage.getItem('lm.admin.merchant')) || me.merchants[0]?.id || null);
  const merchant = me.merchants.find((m) => m.id === merchantId) ?? me.merchants[0] ?? null;
  useEffect(() => { if (merchant) localStorage.setItem('lm.admin.merchant', String(merchant.id)); }, [merchant?.id]);
  const ws: Workspace = useMemo(() => ({ me, merchant, setMerchant: setMerchantId, reload }), [me, merchant]);
  const nav = useNavigate();
  const loc = useLocation();
  const items = MENU.filter((m) => (m.roles === 'platform' ? me.user.isPlatformAdmin : !!merchant && m.roles.includes(merchant.role as Role)));
  const home = items[0]?.key ?? '/platform';
  return (
    <WorkspaceContext.Provider value={ws}>
      <Layout style={{ minHeight: '100vh' }}>
        <Layout.Sider breakpoint="lg" collapsedWidth={0} theme="light">
          <div style={{ padding: 16, fontWeight: 700 }}>LiveMall 商家后台</div>
          <Menu mode="inline" selectedKeys={[items.find((i) => loc.pathname.startsWith(i.key))?.key ?? '']} items={items.map((i) => ({ key: i.key, label: i.label }))} onClick={(e) => nav(e.key)} data-testid="menu" />
        </Layout.Sider>
        <Layout>
          <Layout.Header style={{ background: '#fff', display: 'flex', alignItems: 'center', justifyContent: 'flex-end', gap: 12 }}>
            <Space>
              {me.merchants.length > 0 && (
                <Select value={merchant?.id} style={{ minWidth: 200 }} onChange={(id) => { setMerchantId(id); nav(home); }} data-testid="merchant-switch"
                  options={me.merchants.map((m) => ({ value: m.id, label: `${m.name} · ${m.role}` }))} />
              )}
              <LanguageSwitch />
              <Typography.Text>{me.user.nickname}</Typography.Text>
              <Button onClick={signOut}>退出 Sign out</Button>
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
                {merchant && <Route path="/live" element={<Rooms />} />}
                {merchant && <Route path="/live/:roomId" element={<LiveConsole />} />}
                {merchant && <Route path="/marketing" element={<Marketing />} />}
                {merchant && <Route path="/members" element={<Members />} />}
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

/** 中文 / English for the server's messages (error texts). */
function LanguageSwitch() {
  const lang = useLanguage();
  const options = [{ value: 'zh' as const, label: '中文' }, { value: 'en' as const, label: 'English' }];
  return (
    <Select value={lang} onChange={setLanguage} options={options} style={{ width: 100 }} data-testid="language-switch" />
  );
}

initLanguage();
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ConfigProvider locale={zhCN} theme={{ token: { colorPrimary: '#ff2d55' } }}>
      <AntApp>
        <BrowserRouter basename={import.meta.env.BASE_URL.replace(/\/$/, '')}><Shell /></BrowserRouter>
      </AntApp>
    </ConfigProvider>
  </StrictMode>,
);

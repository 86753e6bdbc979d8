// The shopper H5. Pages load on demand so the room page's first load stays small.
import { QueryClientProvider } from '@tanstack/react-query';
import { ConfigProvider, TabBar } from 'antd-mobile';
import enUS from 'antd-mobile/es/locales/en-US';
import {
  AppOutline,
  MessageOutline,
  SearchOutline,
  ShopbagOutline,
  UnorderedListOutline,
  UserOutline,
} from 'antd-mobile-icons';
import zhCN from 'antd-mobile/es/locales/zh-CN';
import { lazy, StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider, useTranslation } from 'react-i18next';
import { BrowserRouter, Route, Routes, useLocation, useNavigate } from 'react-router-dom';
import { queryClient } from './api.ts';
import { useTabBadges } from './support/tab-badges.ts';
import { i18n } from './i18n.ts';
import { ShareVisits } from './share/ShareVisits.tsx';
import { PageHeader } from './components/PageHeader.tsx';
import './styles.css';

const Home = lazy(() => import('./pages/Home.tsx').then((m) => ({ default: m.Home })));
const Room = lazy(() => import('./pages/Room.tsx').then((m) => ({ default: m.Room })));
const Mall = lazy(() => import('./pages/Mall.tsx').then((m) => ({ default: m.Mall })));
const Product = lazy(() => import('./pages/Product.tsx').then((m) => ({ default: m.Product })));
const Cart = lazy(() => import('./pages/Cart.tsx').then((m) => ({ default: m.Cart })));
const Orders = lazy(() => import('./pages/Orders.tsx').then((m) => ({ default: m.Orders })));
const OrderDetail = lazy(() => import('./pages/Orders.tsx').then((m) => ({ default: m.OrderDetail })));
const Me = lazy(() => import('./pages/Me.tsx').then((m) => ({ default: m.Me })));
const Login = lazy(() => import('./pages/Me.tsx').then((m) => ({ default: m.Login })));
const deals = () => import('./pages/Deals.tsx');
const Coupons = lazy(() => deals().then((m) => ({ default: m.Coupons })));
const FlashSales = lazy(() => deals().then((m) => ({ default: m.FlashSales })));
const GroupBuys = lazy(() => deals().then((m) => ({ default: m.GroupBuys })));
const Group = lazy(() => deals().then((m) => ({ default: m.Group })));
const Bargains = lazy(() => deals().then((m) => ({ default: m.Bargains })));
const Bargain = lazy(() => deals().then((m) => ({ default: m.Bargain })));
const Points = lazy(() => deals().then((m) => ({ default: m.Points })));
const Invite = lazy(() => import('./pages/Invite.tsx').then((m) => ({ default: m.Invite })));
const PromoterShops = lazy(() => import('./pages/promoter/Shops.tsx').then((m) => ({ default: m.PromoterShops })));
const PromoterCentre = lazy(() => import('./pages/promoter/Centre.tsx').then((m) => ({ default: m.PromoterCentre })));
const Messages = lazy(() => import('./pages/Messages.tsx').then((m) => ({ default: m.Messages })));
const Support = lazy(() => import('./pages/Support.tsx').then((m) => ({ default: m.Support })));

// An icon set, not emoji: emoji render as empty boxes where no colour-emoji font is installed.
const TABS = [
  ['/', 'tabs.home', <AppOutline key="i" />],
  ['/mall', 'tabs.mall', <SearchOutline key="i" />],
  ['/cart', 'tabs.cart', <ShopbagOutline key="i" />],
  ['/orders', 'tabs.orders', <UnorderedListOutline key="i" />],
  ['/messages', 'tabs.messages', <MessageOutline key="i" />],
  ['/me', 'tabs.me', <UserOutline key="i" />],
] as const;

function Shell() {
  const {
    t,
    i18n: { language },
  } = useTranslation();
  const loc = useLocation();
  const nav = useNavigate();
  const inRoom = loc.pathname.startsWith('/room/') || loc.pathname.startsWith('/support/');
  const badges = useTabBadges();
  return (
    <ConfigProvider locale={language === 'en' ? enUS : zhCN}>
      <div className={inRoom ? 'shell room-shell' : 'shell'}>
        <main>
          <ShareVisits />
          <PageHeader />
          <Suspense fallback={<div className="center">…</div>}>
            <Routes>
              <Route path="/" element={<Home />} />
              <Route path="/room/:roomId" element={<Room />} />
              <Route path="/mall" element={<Mall />} />
              <Route path="/product/:productId" element={<Product />} />
              <Route path="/cart" element={<Cart />} />
              <Route path="/orders" element={<Orders />} />
              <Route path="/orders/:orderId" element={<OrderDetail />} />
              <Route path="/me" element={<Me />} />
              <Route path="/login" element={<Login />} />
              <Route path="/coupons" element={<Coupons />} />
              <Route path="/flash" element={<FlashSales />} />
              <Route path="/groups" element={<GroupBuys />} />
              <Route path="/group/:groupId" element={<Group />} />
              <Route path="/bargains" element={<Bargains />} />
              <Route path="/bargain/:bargainId" element={<Bargain />} />
              <Route path="/points" element={<Points />} />
              <Route path="/invite" element={<Invite />} />
              <Route path="/distribution" element={<PromoterShops />} />
              <Route path="/distribution/:merchantId" element={<PromoterCentre />} />
              <Route path="/distribution/:merchantId/join" element={<PromoterCentre />} />
              <Route path="/messages" element={<Messages />} />
              <Route path="/support/:conversationId" element={<Support />} />
              <Route path="*" element={<Home />} />
            </Routes>
          </Suspense>
        </main>
        {!inRoom && (
          <TabBar
            activeKey={TABS.find(([p]) => p !== '/' && loc.pathname.startsWith(p))?.[0] ?? '/'}
            onChange={(k) => nav(k)}
            className="tabbar"
          >
            {TABS.map(([path, label, icon]) => (
              <TabBar.Item
                key={path}
                title={t(label)}
                icon={icon}
                badge={badgeText(badges[path as keyof typeof badges])}
              />
            ))}
          </TabBar>
        )}
      </div>
    </ConfigProvider>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <I18nextProvider i18n={i18n}>
      <QueryClientProvider client={queryClient}>
        <BrowserRouter basename={import.meta.env.BASE_URL.replace(/\/$/, '')}>
          <Shell />
        </BrowserRouter>
      </QueryClientProvider>
    </I18nextProvider>
  </StrictMode>,
);

// antd-mobile shows any string; past 99 a count reads as 99+ like the big apps.
const badgeText = (n?: number) => (n && n > 0 ? (n > 99 ? '99+' : n) : undefined);

// Every page but the tab-bar roots, the live room and the service chat (they draw their own top bars)
// gets a header with a back button and the page's title.
import { NavBar } from 'antd-mobile';
import { LeftOutline } from 'antd-mobile-icons';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate } from 'react-router-dom';

/** The first pattern that matches the path names the title; paths not listed get no header. */
const TITLES = [
  [/^\/product\/\d+/, 'nav.product'],
  [/^\/orders\/\d+/, 'nav.order'],
  [/^\/login$/, 'nav.login'],
  [/^\/coupons$/, 'home.coupons'],
  [/^\/flash$/, 'home.flash'],
  [/^\/groups$/, 'home.groups'],
  [/^\/group\/\d+/, 'nav.group'],
  [/^\/bargains$/, 'home.bargains'],
  [/^\/bargain\/\d+/, 'nav.bargain'],
  [/^\/points$/, 'nav.points'],
  [/^\/invite$/, 'nav.invite'],
  [/^\/distribution(\/|$)/, 'nav.distribution'],
] as const;

/** antd-mobile hides the back text from screen readers, leaving its button nameless: the arrow says it. */
export function BackIcon() {
  const { t } = useTranslation();
  return (
    <span role="img" aria-label={t('nav.back')}>
      <LeftOutline />
    </span>
  );
}

export function PageHeader() {
  const { t } = useTranslation();
  const { pathname, key } = useLocation();
  const nav = useNavigate();
  const title = TITLES.find(([re]) => re.test(pathname))?.[1];
  if (!title) return null;
  // A page opened from a shared link has no history here: back goes home instead of leaving the shop.
  const back = () => (key === 'default' ? nav('/') : nav(-1));
  return (
    <NavBar
      className="page-header"
      onBack={back}
      back={t('nav.back')}
      backIcon={<BackIcon />}
      data-testid="page-header"
    >
      {t(title)}
    </NavBar>
  );
}

// Distribution (分销): settings, levels and per-product rules (Settings.tsx), promoters to approve and
// the ranking (Promoters.tsx), commissions and withdrawals to approve with a confirmation (Money.tsx).
import { Card, Tabs } from 'antd';
import { useTranslation } from 'react-i18next';
import { Commissions, Withdrawals } from './Money.tsx';
import { Promoters, Ranking } from './Promoters.tsx';
import { Levels, Settings } from './Settings.tsx';

/** Basis points as a percentage for people (1250 → 12.5) and back, rounding to a whole basis point. */
export const pct = (bp: number) => bp / 100;
export const bpOf = (percent: number | null | undefined) => Math.round((percent ?? 0) * 100);

export default function Distribution() {
  const { t } = useTranslation();
  return (
    <Card title={t('distribution.title')}>
      <Tabs
        destroyOnHidden
        items={[
          { key: 'settings', label: t('distribution.settings'), children: <Settings /> },
          { key: 'levels', label: t('distribution.levels'), children: <Levels /> },
          { key: 'promoters', label: t('distribution.promoters'), children: <Promoters /> },
          { key: 'commissions', label: t('distribution.commissions'), children: <Commissions /> },
          { key: 'withdrawals', label: t('distribution.withdrawals'), children: <Withdrawals /> },
          { key: 'ranking', label: t('distribution.ranking'), children: <Ranking /> },
        ]}
      />
    </Card>
  );
}

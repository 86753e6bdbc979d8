// The promoter centre's tabs: commissioned orders, bound customers, the balance statement, and
// withdrawals with the form to ask for one (an idempotency key per attempt: a double tap pays once).
import { useLabels } from '@livemall/sdk';
import { Button, Form, Input, List, Tag, Toast } from 'antd-mobile';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { $api, errorText, yuan } from '../../api.ts';
import { Async } from '../../components/Async.tsx';
import { commissionKey, ledgerKey, withdrawalKey } from './status.ts';

type Props = { merchantId: number };
const base = '/api/me/distribution/merchants/{merchantId}' as const;

export function Commissions({ merchantId }: Props) {
  const { t } = useTranslation();
  const labels = useLabels();
  const q = $api.useQuery('get', `${base}/commissions`, { params: { path: { merchantId }, query: { pageSize: 50 } } });
  return (
    <Async query={q}>
      {(page) => (
        <List data-testid="promoter-commissions">
          {page.items.length === 0 && <List.Item>{t('promoter.none')}</List.Item>}
          {page.items.map((c) => (
            <List.Item
              key={c.id}
              description={`${c.orderNo} · ${labels.dateTime(c.createdAt)}`}
              extra={
                <Tag color={c.status === 'settled' ? 'success' : c.status === 'reversed' ? 'default' : 'warning'}>
                  {t(commissionKey(c.status))}
                </Tag>
              }
              data-testid="promoter-commission"
              data-status={c.status}
            >
              {t('promoter.commission', { amount: yuan(c.amountFen) })} ·{' '}
              {t(c.tier === 2 ? 'promoter.tier.indirect' : 'promoter.tier.direct')}
            </List.Item>
          ))}
        </List>
      )}
    </Async>
  );
}

export function Customers({ merchantId }: Props) {
  const { t } = useTranslation();
  const labels = useLabels();
  const q = $api.useQuery('get', `${base}/customers`, { params: { path: { merchantId }, query: { pageSize: 50 } } });
  return (
    <Async query={q}>
      {(page) => (
        <List>
          {page.items.length === 0 && <List.Item>{t('promoter.none')}</List.Item>}
          {page.items.map((c) => (
            <List.Item
              key={c.userId}
              extra={c.active ? t('promoter.boundUntil', { date: labels.date(c.expiresAt) }) : t('promoter.expired')}
            >
              {c.nickname}
            </List.Item>
          ))}
        </List>
      )}
    </Async>
  );
}

export function Ledger({ merchantId }: Props) {
  const { t } = useTranslation();
  const labels = useLabels();
  const q = $api.useQuery('get', `${base}/ledger`, { params: { path: { merchantId }, query: { pageSize: 50 } } });
  return (
    <Async query={q}>
      {(rows) => (
        <List>
          {rows.length === 0 && <List.Item>{t('promoter.none')}</List.Item>}
          {rows.map((r) => (
            <List.Item
              key={r.id}
              description={labels.dateTime(r.at)}
              extra={`${r.deltaFen > 0 ? '+' : ''}${yuan(r.deltaFen)}`}
            >
              {t(ledgerKey(r.reason))}
            </List.Item>
          ))}
        </List>
      )}
    </Async>
  );
}

/** Yuan typed by a person → fen, exactly (no float maths): "12.3" → 1230; null when not an amount. */
export function fenOf(text: string): number | null {
  const m = /^(\d{1,9})(?:\.(\d{1,2}))?$/.exec(text.trim());
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

export function Withdrawals({ merchantId, balanceFen }: Props & { balanceFen: number }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const q = $api.useQuery('get', `${base}/withdrawals`, { params: { path: { merchantId }, query: { pageSize: 50 } } });
  const ask = $api.useMutation('post', `${base}/withdrawals`);
  const [amount, setAmount] = useState('');
  const [key, setKey] = useState(() => crypto.randomUUID().replace(/-/g, ''));
  const submit = async () => {
    const fen = fenOf(amount);
    if (!fen || fen > balanceFen) return Toast.show({ content: t('promoter.withdrawAmount') });
    try {
      await ask.mutateAsync({ params: { path: { merchantId } }, body: { amountFen: fen, idempotencyKey: key } });
      Toast.show({ content: t('promoter.withdrawn') });
      setAmount('');
      setKey(crypto.randomUUID().replace(/-/g, ''));
    } catch (e) {
      Toast.show({ content: errorText(e) });
    }
  };
  return (
    <>
      <Form layout="horizontal">
        <Form.Item label={t('promoter.withdrawAmount')} extra={yuan(balanceFen)}>
          <Input value={amount} onChange={setAmount} inputMode="decimal" data-testid="withdraw-amount" />
        </Form.Item>
      </Form>
      <Button block color="danger" loading={ask.isPending} disabled={balanceFen <= 0} onClick={() => void submit()}>
        {t('promoter.withdraw')}
      </Button>
      <Async query={q}>
        {(page) => (
          <List>
            {page.items.map((w) => (
              <List.Item key={w.id} description={labels.dateTime(w.requestedAt)} extra={t(withdrawalKey(w.status))}>
                {yuan(w.amountFen)}
              </List.Item>
            ))}
          </List>
        )}
      </Async>
    </>
  );
}

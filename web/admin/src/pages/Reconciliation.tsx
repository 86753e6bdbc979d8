// 对账 Reconciliation: the last runs (the daily one and those started here), "run now" for a day or
// everything, and the chosen run's report. The platform sees every shop (or one); a shop sees its
// own books, the platform's daily runs included, counted for itself.
import { useLabels } from '@livemall/sdk';
import { useQuery } from '@tanstack/react-query';
import { App, Button, Card, DatePicker, Select, Space, Table, Tag } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, call, errorText, queryClient } from '../api.ts';
import { range, ReconciliationReport, RUN_COLOR, type Run } from '../components/ReconciliationReport.tsx';
import { useWorkspace } from '../workspace.tsx';

type Scope = { kind: 'platform' } | { kind: 'shop'; merchantId: number };
const PAGE_SIZE = 10;
/** While a run is queued or running its answers are asked for again every 1.5 s. */
const WHILE_BUSY = 1500;

function listRuns(scope: Scope, page: number, shop?: number) {
  if (scope.kind === 'platform') {
    const query = { page, pageSize: PAGE_SIZE, ...(shop ? { merchantId: shop } : {}) };
    return call(() => api.GET('/api/platform/reconciliation/runs', { params: { query } }));
  }
  const params = { path: { merchantId: scope.merchantId }, query: { page, pageSize: PAGE_SIZE } };
  return call(() => api.GET('/api/merchants/{merchantId}/reconciliation/runs', { params }));
}

function startRun(scope: Scope, body: { day?: string; merchantId?: number }) {
  if (scope.kind === 'platform') return call(() => api.POST('/api/platform/reconciliation/runs', { body }));
  const params = { path: { merchantId: scope.merchantId } };
  const shopBody = body.day ? { day: body.day } : {};
  return call(() => api.POST('/api/merchants/{merchantId}/reconciliation/runs', { params, body: shopBody }));
}

function loadReport(scope: Scope, runId: number) {
  if (scope.kind === 'platform') {
    return call(() => api.GET('/api/platform/reconciliation/runs/{runId}', { params: { path: { runId } } }));
  }
  const params = { path: { merchantId: scope.merchantId, runId } };
  return call(() => api.GET('/api/merchants/{merchantId}/reconciliation/runs/{runId}', { params }));
}

function loadShops(scope: Scope): Promise<Array<{ value: number; label: string }>> {
  if (scope.kind !== 'platform') return Promise.resolve([]);
  return call(() => api.GET('/api/platform/merchants', { params: { query: {} } })).then((data) => {
    const raw = Array.isArray(data) ? data : ((data as { items?: unknown[] }).items ?? []);
    const list = raw as Array<{ id: number; name: string }>;
    return list.map((m) => ({ value: m.id, label: m.name }));
  });
}

const active = (r: Run) => r.status === 'queued' || r.status === 'running';

export function ReconciliationPage({ scope }: { scope: Scope }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const { message } = App.useApp();
  const [page, setPage] = useState(1);
  const [shop, setShop] = useState<number | undefined>();
  const [day, setDay] = useState<Dayjs | null>(null);
  const [chosen, setChosen] = useState<number | null>(null);
  const key = scope.kind === 'platform' ? 'platform' : scope.merchantId;
  // Shop and platform answers differ in path: one query key per scope, so the polling and refetch
  // rules are written once (the scoped paths are chosen in listRuns / loadReport).
  const runs = useQuery({
    queryKey: ['get', 'reconciliation-runs', key, page, shop],
    queryFn: () => listRuns(scope, page, shop),
    refetchInterval: (q) => (q.state.data?.items.some(active) ? WHILE_BUSY : false),
  });
  const shops = useQuery({ queryKey: ['get', 'reconciliation-shops', key], queryFn: () => loadShops(scope) });
  const shopOptions = shops.data ?? [];
  const shopName = (id: number) => shopOptions.find((o) => o.value === id)?.label;
  const items = runs.data?.items ?? [];
  const shown = chosen ?? items.find((r) => !active(r))?.id ?? items[0]?.id ?? null;
  const report = useQuery({
    queryKey: ['get', 'reconciliation-report', key, shown],
    queryFn: () => loadReport(scope, shown!),
    enabled: shown !== null,
    refetchInterval: (q) => (q.state.data && active(q.state.data.run) ? WHILE_BUSY : false),
  });

  const runNow = async () => {
    try {
      const body = { ...(day ? { day: day.format('YYYY-MM-DD') } : {}), ...(shop ? { merchantId: shop } : {}) };
      const started = await startRun(scope, body);
      setChosen(started.run.id);
      setPage(1);
      void queryClient.invalidateQueries({ queryKey: ['get', 'reconciliation-runs'] });
    } catch (e) {
      void message.error(errorText(e));
    }
  };
  const pickShop = (v?: number) => {
    setShop(v);
    setPage(1);
    setChosen(null);
  };
  const title = `${t('recon.title')} · ${scope.kind === 'platform' ? t('recon.allShops') : t('recon.thisShop')}`;

  return (
    <Card title={title} data-testid="reconciliation">
      <Space wrap style={{ marginBottom: 12 }}>
        {scope.kind === 'platform' && (
          <Select
            allowClear
            placeholder={t('recon.allShopsPlaceholder')}
            style={{ width: 200 }}
            value={shop}
            onChange={pickShop}
            options={shopOptions}
            data-testid="reconcile-shop"
          />
        )}
        <DatePicker
          placeholder={t('recon.everyDay')}
          style={{ width: 190 }}
          value={day}
          onChange={setDay}
          data-testid="reconcile-day"
        />
        <Button type="primary" onClick={() => void runNow()} data-testid="reconcile-run">
          {t('recon.runNow')}
        </Button>
      </Space>
      <Table
        size="small"
        rowKey="id"
        loading={runs.isFetching && !runs.data}
        dataSource={items}
        data-testid="reconcile-runs"
        pagination={{ current: page, pageSize: PAGE_SIZE, total: runs.data?.total ?? 0, onChange: setPage }}
        onRow={(r) => ({
          onClick: () => setChosen(r.id),
          style: { cursor: 'pointer', background: r.id === shown ? '#fff1f0' : undefined },
        })}
        columns={[
          { title: '#', dataIndex: 'id', width: 70 },
          { title: t('recon.range'), render: (_, r) => range(t, labels.dateTime, r) },
          ...(scope.kind === 'platform'
            ? [
                {
                  title: t('recon.shop'),
                  render: (_: unknown, r: Run) =>
                    r.merchantId === null ? t('recon.allShops') : (shopName(r.merchantId) ?? r.merchantId),
                },
              ]
            : []),
          { title: t('recon.trigger'), render: (_, r) => labels.label('runTrigger', r.trigger) },
          {
            title: t('recon.result'),
            render: (_, r) => (
              <Tag color={RUN_COLOR[r.status]} data-status={r.status}>
                {r.status === 'discrepancies'
                  ? t('recon.count', { n: r.discrepancyCount })
                  : labels.label('runStatus', r.status)}
              </Tag>
            ),
          },
          { title: t('common.time'), render: (_, r) => labels.dateTime(r.createdAt) },
        ]}
      />
      {report.error ? <div style={{ color: '#cf1322' }}>{errorText(report.error)}</div> : null}
      {report.data && (
        <div style={{ marginTop: 16 }} data-testid="reconcile-report">
          <ReconciliationReport report={report.data} shopName={shopName} />
        </div>
      )}
      {!items.length && !runs.isFetching && <div style={{ marginTop: 16 }}>{t('recon.noRuns')}</div>}
    </Card>
  );
}

export default function Reconciliation({ platform = false }: { platform?: boolean }) {
  const { merchant } = useWorkspace();
  const scope: Scope = platform || !merchant ? { kind: 'platform' } : { kind: 'shop', merchantId: merchant.id };
  return <ReconciliationPage scope={scope} />;
}

// 对账 Reconciliation: the last runs (the daily one and those started here), "run now" for a day or
// everything, and the chosen run's report. The platform sees every shop (or one); a shop sees its
// own books, the platform's daily runs included, counted for itself.
import { App, Button, Card, DatePicker, Select, Space, Table, Tag } from 'antd';
import type { Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { api, call, errorText } from '../api.ts';
import { range, ReconciliationReport, RUN_STATUS, type Run } from '../components/ReconciliationReport.tsx';
import { useAsync } from '../components/useAsync.ts';
import { useWorkspace } from '../workspace.tsx';

type Scope = { kind: 'platform' } | { kind: 'shop'; merchantId: number };
const TRIGGER: Record<string, string> = { schedule: '每日 daily', manual: '手动 manual', cli: '命令行 CLI' };
const PAGE_SIZE = 10;

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
    const raw = Array.isArray(data) ? data : (data as { items?: unknown[] }).items ?? [];
    const list = raw as Array<{ id: number; name: string }>;
    return list.map((m) => ({ value: m.id, label: m.name }));
  });
}

const active = (r: Run) => r.status === 'queued' || r.status === 'running';

export function ReconciliationPage({ scope }: { scope: Scope }) {
  const { message } = App.useApp();
  const [page, setPage] = useState(1);
  const [shop, setShop] = useState<number | undefined>();
  const [day, setDay] = useState<Dayjs | null>(null);
  const [chosen, setChosen] = useState<number | null>(null);
  const key = scope.kind === 'platform' ? 'platform' : scope.merchantId;
  const runs = useAsync(() => listRuns(scope, page, shop), [key, page, shop]);
  const shops = useAsync(() => loadShops(scope), [key]);
  const shopOptions = shops.data ?? [];
  const shopName = (id: number) => shopOptions.find((o) => o.value === id)?.label;
  const items = runs.data?.items ?? [];
  const shown = chosen ?? items.find((r) => !active(r))?.id ?? items[0]?.id ?? null;
  const report = useAsync(() => (shown === null ? Promise.resolve(null) : loadReport(scope, shown)), [key, shown]);

  // While a run is queued or running, look again every 1.5 s until it is done.
  const busy = items.some(active) || (report.data ? active(report.data.run) : false);
  useEffect(() => {
    if (!busy) return;
    const t = setInterval(() => { runs.reload(); report.reload(); }, 1500);
    return () => clearInterval(t);
  }, [busy, runs.reload, report.reload]);

  const runNow = async () => {
    try {
      const body = { ...(day ? { day: day.format('YYYY-MM-DD') } : {}), ...(shop ? { merchantId: shop } : {}) };
      const started = await startRun(scope, body);
      setChosen(started.run.id);
      setPage(1);
      runs.reload();
    } catch (e) { void message.error(errorText(e)); }
  };
  const pickShop = (v?: number) => { setShop(v); setPage(1); setChosen(null); };
  const title = scope.kind === 'platform' ? '对账 Reconciliation · 全平台 all shops' : '对账 Reconciliation · 本店 this shop';

  return (
    <Card title={title} data-testid="reconciliation">
      <Space wrap style={{ marginBottom: 12 }}>
        {scope.kind === 'platform' && (
          <Select allowClear placeholder="全部店铺 All shops" style={{ width: 200 }} value={shop} onChange={pickShop}
            options={shopOptions} data-testid="reconcile-shop" />
        )}
        <DatePicker placeholder="全部日期 Every day" style={{ width: 190 }} value={day} onChange={setDay}
          data-testid="reconcile-day" />
        <Button type="primary" onClick={() => void runNow()} data-testid="reconcile-run">立即对账 Run now</Button>
      </Space>
      <Table size="small" rowKey="id" loading={runs.loading && !runs.data} dataSource={items}
        data-testid="reconcile-runs"
        pagination={{ current: page, pageSize: PAGE_SIZE, total: runs.data?.total ?? 0, onChange: setPage }}
        onRow={(r) => ({
          onClick: () => setChosen(r.id),
          style: { cursor: 'pointer', background: r.id === shown ? '#fff1f0' : undefined },
        })}
        columns={[
          { title: '#', dataIndex: 'id', width: 70 },
          { title: '范围 Range', render: (_, r) => range(r) },
          ...(scope.kind === 'platform'
            ? [{
              title: '店铺 Shop',
              render: (_: unknown, r: Run) => (r.merchantId === null ? '全平台' : shopName(r.merchantId) ?? r.merchantId),
            }]
            : []),
          { title: '触发', render: (_, r) => TRIGGER[r.trigger] ?? r.trigger },
          {
            title: '结果 Result',
            render: (_, r) => (
              <Tag color={RUN_STATUS[r.status][1]}>
                {r.status === 'discrepancies' ? `${r.discrepancyCount} 处差异` : RUN_STATUS[r.status][0]}
              </Tag>
            ),
          },
          { title: '时间', render: (_, r) => new Date(r.createdAt).toLocaleString() },
        ]} />
      {report.error ? <div style={{ color: '#cf1322' }}>{errorText(report.error)}</div> : null}
      {report.data && (
        <div style={{ marginTop: 16 }} data-testid="reconcile-report">
          <ReconciliationReport report={report.data} shopName={shopName} />
        </div>
      )}
      {!items.length && !runs.loading && (
        <div style={{ marginTop: 16 }}>还没有对账记录：点「立即对账」开始。 No runs yet: press Run now.</div>
      )}
    </Card>
  );
}

export default function Reconciliation({ platform = false }: { platform?: boolean }) {
  const { merchant } = useWorkspace();
  const scope: Scope = platform || !merchant ? { kind: 'platform' } : { kind: 'shop', merchantId: merchant.id };
  return <ReconciliationPage scope={scope} />;
}

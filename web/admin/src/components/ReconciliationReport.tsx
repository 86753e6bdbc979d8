// One reconciliation run's report: a clear "all clean" when nothing was found; otherwise every
// check with what it found and every discrepancy, its rows shown as a small table.
import { Alert, Result, Space, Spin, Table, Tag, Typography } from 'antd';
import type { Schemas } from '../api.ts';

export type Run = Schemas['ReconciliationRun'];
export type Report = Schemas['ReconciliationReport'];
type Discrepancy = Report['discrepancies'][number];

export const RUN_STATUS: Record<Run['status'], [string, string]> = {
  queued: ['排队中 Queued', 'blue'], running: ['对账中 Running', 'processing'], clean: ['全部平账 All clean', 'green'],
  discrepancies: ['有差异 Discrepancies', 'red'], failed: ['未完成 Failed', 'orange'],
};

export const range = (r: Pick<Run, 'from' | 'to'>) => {
  const from = new Date(r.from);
  return `${from.getTime() === 0 ? '开始 beginning' : from.toLocaleString()} → ${new Date(r.to).toLocaleString()}`;
};

/** The rows involved, whatever their shape: one column per field. */
function Rows({ rows }: { rows: unknown[] }) {
  const objects = rows.filter((r): r is Record<string, unknown> => typeof r === 'object' && r !== null);
  const keys = [...new Set(objects.flatMap((r) => Object.keys(r)))];
  const cell = (v: unknown) => (v === null || v === undefined ? '—'
    : typeof v === 'object' ? JSON.stringify(v) : String(v));
  return (
    <Table size="small" pagination={false} rowKey={(_, i) => String(i)} dataSource={objects} scroll={{ x: true }}
      data-testid="discrepancy-rows"
      columns={keys.map((k) => ({ title: k, render: (_: unknown, r: Record<string, unknown>) => cell(r[k]) }))} />
  );
}

export function ReconciliationReport(props: { report: Report; shopName?: (merchantId: number) => string | undefined }) {
  const { report, shopName } = props;
  const { run, checks, discrepancies } = report;
  if (run.status === 'queued' || run.status === 'running') {
    return <Spin tip={RUN_STATUS[run.status][0]} data-testid="report-running"><div style={{ height: 120 }} /></Spin>;
  }
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      {run.clean ? (
        <Result status="success" title="全部平账 All clean" subTitle={`${run.summary} · ${range(run)}`}
          data-testid="report-clean" />
      ) : (
        <Alert type={run.status === 'failed' ? 'warning' : 'error'} showIcon data-testid="report-summary"
          message={run.status === 'failed' ? '对账未完成 Some checks could not finish' : `发现 ${run.discrepancyCount} 处差异`}
          description={`${run.summary} · ${range(run)}${run.error ? ` · ${run.error}` : ''}`} />
      )}
      <Table size="small" rowKey="name" pagination={false} dataSource={checks} data-testid="report-checks" columns={[
        {
          title: '检查 Check',
          render: (_, c) => (
            <Space direction="vertical" size={0}>
              <Typography.Text code>{c.name}</Typography.Text>
              <Typography.Text type="secondary">{c.description}</Typography.Text>
            </Space>
          ),
        },
        {
          title: '结果 Result', width: 200,
          render: (_, c) => (c.status === 'clean' ? <Tag color="green">平 clean</Tag>
            : c.status === 'error' ? <Tag color="orange" title={c.error}>未完成 error</Tag>
              : <Tag color="red">{c.count} 处差异</Tag>),
        },
        { title: '用时', width: 90, render: (_, c) => `${c.ms} ms` },
      ]} />
      {discrepancies.length > 0 && (
        <Table size="small" rowKey="id" dataSource={discrepancies} data-testid="report-discrepancies"
          expandable={{
            expandedRowRender: (d) => <Rows rows={d.rows} />, defaultExpandAllRows: discrepancies.length <= 20,
          }}
          columns={[
            {
              title: '检查',
              render: (_, d) => <Typography.Text code style={{ whiteSpace: 'nowrap' }}>{d.check}</Typography.Text>,
            },
            { title: '对象 Subject', dataIndex: 'subject' },
            ...(run.scope === 'platform' ? [{
              title: '店铺',
              render: (_: unknown, d: Discrepancy) => (d.merchantId === null ? '平台'
                : shopName?.(d.merchantId) ?? d.merchantId),
            }] : []),
            { title: '问题 What is wrong', dataIndex: 'message' },
            { title: '应为 Expected', dataIndex: 'expected' },
            { title: '实际 Actual', dataIndex: 'actual' },
          ]} />
      )}
    </Space>
  );
}

// One reconciliation run's report: a clear "all clean" when nothing was found; otherwise every
// check with what it found and every discrepancy, its rows shown as a small table.
import { useLabels } from '@livemall/sdk';
import { Alert, Result, Space, Spin, Table, Tag, Typography } from 'antd';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { Schemas } from '../api.ts';

export type Run = Schemas['ReconciliationRun'];
export type Report = Schemas['ReconciliationReport'];
type Discrepancy = Report['discrepancies'][number];

export const RUN_COLOR: Record<Run['status'], string> = {
  queued: 'blue',
  running: 'processing',
  clean: 'green',
  discrepancies: 'red',
  failed: 'orange',
};

export const range = (t: TFunction, dateTime: (d: string) => string, r: Pick<Run, 'from' | 'to'>) => {
  const from = new Date(r.from);
  return `${from.getTime() === 0 ? t('recon.beginning') : dateTime(r.from)} → ${dateTime(r.to)}`;
};

/** The rows involved, whatever their shape: one column per field. */
function Rows({ rows }: { rows: unknown[] }) {
  const objects = rows.filter((r): r is Record<string, unknown> => typeof r === 'object' && r !== null);
  const keys = [...new Set(objects.flatMap((r) => Object.keys(r)))];
  const cell = (v: unknown) =>
    v === null || v === undefined ? '—' : typeof v === 'object' ? JSON.stringify(v) : String(v);
  return (
    <Table
      size="small"
      pagination={false}
      rowKey={(_, i) => String(i)}
      dataSource={objects}
      scroll={{ x: true }}
      data-testid="discrepancy-rows"
      columns={keys.map((k) => ({ title: k, render: (_: unknown, r: Record<string, unknown>) => cell(r[k]) }))}
    />
  );
}

export function ReconciliationReport(props: { report: Report; shopName?: (merchantId: number) => string | undefined }) {
  const { report, shopName } = props;
  const { t } = useTranslation();
  const labels = useLabels();
  const { run, checks, discrepancies } = report;
  const when = range(t, labels.dateTime, run);
  if (run.status === 'queued' || run.status === 'running') {
    return (
      <Spin tip={labels.label('runStatus', run.status)} data-testid="report-running">
        <div style={{ height: 120 }} />
      </Spin>
    );
  }
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      {run.clean ? (
        <Result
          status="success"
          title={labels.label('runStatus', 'clean')}
          subTitle={`${run.summary} · ${when}`}
          data-testid="report-clean"
        />
      ) : (
        <Alert
          type={run.status === 'failed' ? 'warning' : 'error'}
          showIcon
          data-testid="report-summary"
          title={run.status === 'failed' ? t('recon.notFinished') : t('recon.found', { n: run.discrepancyCount })}
          description={`${run.summary} · ${when}${run.error ? ` · ${run.error}` : ''}`}
        />
      )}
      <Table
        size="small"
        rowKey="name"
        pagination={false}
        dataSource={checks}
        data-testid="report-checks"
        columns={[
          {
            title: t('recon.check'),
            render: (_, c) => (
              <Space direction="vertical" size={0}>
                <Typography.Text code>{c.name}</Typography.Text>
                <Typography.Text type="secondary">{c.description}</Typography.Text>
              </Space>
            ),
          },
          {
            title: t('recon.result'),
            width: 200,
            render: (_, c) =>
              c.status === 'clean' ? (
                <Tag color="green">{labels.label('checkStatus', 'clean')}</Tag>
              ) : c.status === 'error' ? (
                <Tag color="orange" title={c.error}>
                  {labels.label('checkStatus', 'error')}
                </Tag>
              ) : (
                <Tag color="red">{t('recon.count', { n: c.count })}</Tag>
              ),
          },
          { title: t('recon.took'), width: 90, render: (_, c) => `${c.ms} ms` },
        ]}
      />
      {discrepancies.length > 0 && (
        <Table
          size="small"
          rowKey="id"
          dataSource={discrepancies}
          data-testid="report-discrepancies"
          expandable={{
            expandedRowRender: (d) => <Rows rows={d.rows} />,
            defaultExpandAllRows: discrepancies.length <= 20,
          }}
          columns={[
            {
              title: t('recon.check'),
              render: (_, d) => (
                <Typography.Text code style={{ whiteSpace: 'nowrap' }}>
                  {d.check}
                </Typography.Text>
              ),
            },
            { title: t('recon.subject'), dataIndex: 'subject' },
            ...(run.scope === 'platform'
              ? [
                  {
                    title: t('recon.shop'),
                    render: (_: unknown, d: Discrepancy) =>
                      d.merchantId === null ? t('recon.platform') : (shopName?.(d.merchantId) ?? d.merchantId),
                  },
                ]
              : []),
            { title: t('recon.whatIsWrong'), dataIndex: 'message' },
            { title: t('recon.expected'), dataIndex: 'expected' },
            { title: t('recon.actual'), dataIndex: 'actual' },
          ]}
        />
      )}
    </Space>
  );
}

// Products: list with filters and shelf actions, the editor (ProductEditor.tsx), CSV import.
import { useLabels } from '@livemall/sdk';
import { App, Button, Card, Drawer, Input, Progress, Select, Space, Table, Tag, Upload } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { $api, download, errorText, queryClient, session, yuan } from '../api.ts';
import { tableState } from '../components/Loadable.tsx';
import { useMerchantId } from '../workspace.tsx';
import { ProductEditor } from './ProductEditor.tsx';
import { LinkButton } from '../components/LinkButton.tsx';

const STATUSES = ['on_shelf', 'off_shelf', 'draft'] as const;

export default function Products() {
  const { t } = useTranslation();
  const labels = useLabels();
  const merchantId = useMerchantId();
  const { message } = App.useApp();
  const [q, setQ] = useState('');
  const [status, setStatus] = useState<(typeof STATUSES)[number] | undefined>();
  const [editing, setEditing] = useState<number | 'new' | null>(null);
  const [selected, setSelected] = useState<number[]>([]);
  const list = $api.useQuery('get', '/api/merchants/{merchantId}/products', {
    params: { path: { merchantId }, query: { ...(q ? { q } : {}), ...(status ? { status } : {}), pageSize: 50 } },
  });
  const shelve = $api.useMutation('post', '/api/merchants/{merchantId}/products/status');
  const setShelf = async (to: 'on_shelf' | 'off_shelf') => {
    try {
      await shelve.mutateAsync({ params: { path: { merchantId } }, body: { productIds: selected, status: to } });
    } catch (e) {
      void message.error(errorText(e));
    }
  };
  return (
    <Card
      title={t('products.title')}
      extra={
        <Space>
          <ImportButton />
          <Button type="primary" onClick={() => setEditing('new')} data-testid="new-product">
            {t('products.new')}
          </Button>
        </Space>
      }
    >
      <Space style={{ marginBottom: 12 }}>
        <Input.Search placeholder={t('common.search')} allowClear onSearch={setQ} />
        <Select
          allowClear
          placeholder={t('common.status')}
          style={{ width: 140 }}
          value={status}
          onChange={setStatus}
          options={STATUSES.map((value) => ({ value, label: labels.label('productStatus', value) }))}
        />
        <Button disabled={!selected.length} onClick={() => void setShelf('on_shelf')}>
          {t('products.putOnShelf')}
        </Button>
        <Button disabled={!selected.length} onClick={() => void setShelf('off_shelf')}>
          {t('products.takeOffShelf')}
        </Button>
      </Space>
      <Table
        rowKey="id"
        {...tableState(list, (d) => d.items)}
        rowSelection={{ selectedRowKeys: selected, onChange: (k) => setSelected(k as number[]) }}
        columns={[
          {
            title: t('products.product'),
            dataIndex: 'title',
            render: (title: string, r) => (
              <Space>
                {r.coverUrl && <img src={r.coverUrl} alt="" width={36} height={36} style={{ objectFit: 'cover' }} />}
                <LinkButton onClick={() => setEditing(r.id)}>{title}</LinkButton>
              </Space>
            ),
          },
          { title: t('products.price'), render: (_, r) => yuan(r.minPriceFen) },
          { title: t('stock.available'), dataIndex: 'stock' },
          { title: t('products.sales'), dataIndex: 'sales' },
          {
            title: t('common.status'),
            render: (_, r) => (
              <Tag color={r.onShelf ? 'green' : 'default'}>
                {r.onShelf ? t('products.onSale') : t('products.notOnSale')}
              </Tag>
            ),
          },
        ]}
      />
      <Drawer
        open={editing !== null}
        width={980}
        title={editing === 'new' ? t('products.newTitle') : t('products.editTitle')}
        onClose={() => setEditing(null)}
        destroyOnHidden
      >
        {editing !== null && (
          <ProductEditor productId={editing === 'new' ? null : editing} onSaved={() => setEditing(null)} />
        )}
      </Drawer>
    </Card>
  );
}

type ImportJob = { id: number; progress: number; status: string; errorRows: number; okRows: number };
const finished = (status: string | undefined) => status === 'done' || status === 'failed';

function ImportButton() {
  const { t } = useTranslation();
  const merchantId = useMerchantId();
  const { message } = App.useApp();
  const [started, setStarted] = useState<ImportJob | null>(null);
  // The import runs as a job: its progress is asked for every 0.7 s until it is done or failed.
  const polled = $api.useQuery(
    'get',
    '/api/merchants/{merchantId}/product-imports/{importId}',
    { params: { path: { merchantId, importId: started?.id ?? 0 } } },
    {
      enabled: started !== null && !finished(started.status),
      refetchInterval: (q) => (finished(q.state.data?.status) ? false : 700),
    },
  );
  const job = polled.data ?? started;
  // Once done, the list shows the imported products.
  // biome-ignore lint/correctness/useExhaustiveDependencies: once per job state, not per poll
  useEffect(() => {
    if (job && finished(job.status))
      void queryClient.invalidateQueries({ queryKey: ['get', '/api/merchants/{merchantId}/products'] });
  }, [job?.id, job?.status]);
  return (
    <Space>
      <Upload
        accept=".csv"
        showUploadList={false}
        action={`/api/merchants/${merchantId}/product-imports`}
        headers={{ authorization: `Bearer ${session.get()?.accessToken ?? ''}` }}
        onChange={(info) => {
          if (info.file.status === 'done') setStarted(info.file.response as ImportJob);
          if (info.file.status === 'error') void message.error(t('products.importFailed'));
        }}
      >
        <Button>{t('products.import')}</Button>
      </Upload>
      {job && (
        <Progress
          type="circle"
          size={32}
          percent={job.progress}
          status={job.status === 'failed' ? 'exception' : undefined}
        />
      )}
      {job && job.errorRows > 0 && (
        <Button
          type="link"
          onClick={() =>
            void download(
              `/api/merchants/${merchantId}/product-imports/${job.id}/errors.csv`,
              `import-${job.id}-errors.csv`,
            )
          }
        >
          {t('products.errorReport', { n: job.errorRows })}
        </Button>
      )}
    </Space>
  );
}

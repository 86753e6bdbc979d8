// Search words: the shop's synonym groups (any word of a group finds products named with the others,
// in this shop) beside what shoppers search here and on the platform, so a merchant sees which words
// to teach the search.
import { App, Button, Card, Col, Popconfirm, Row, Select, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { $api, errorText, queryClient } from '../api.ts';
import { tableState } from '../components/Loadable.tsx';
import { useMerchantId } from '../workspace.tsx';

export default function SearchWords() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const merchantId = useMerchantId();
  const path = { params: { path: { merchantId } } };
  const groups = $api.useQuery('get', '/api/merchants/{merchantId}/search/synonyms', path);
  const shopHot = $api.useQuery('get', '/api/search/hot', { params: { query: { merchantId } } });
  const platformHot = $api.useQuery('get', '/api/search/hot');
  const add = $api.useMutation('post', '/api/merchants/{merchantId}/search/synonyms');
  const remove = $api.useMutation('delete', '/api/merchants/{merchantId}/search/synonyms/{synonymId}');
  const [words, setWords] = useState<string[]>([]);
  const reload = () =>
    queryClient.invalidateQueries({ queryKey: ['get', '/api/merchants/{merchantId}/search/synonyms'] });
  const submit = async () => {
    try {
      await add.mutateAsync({ ...path, body: { words } });
      setWords([]);
      void message.success(t('searchWords.added'));
      await reload();
    } catch (e) {
      void message.error(errorText(e));
    }
  };
  const drop = async (synonymId: number) => {
    try {
      await remove.mutateAsync({ params: { path: { merchantId, synonymId } } });
      void message.success(t('searchWords.removed'));
      await reload();
    } catch (e) {
      void message.error(errorText(e));
    }
  };
  const hot = (title: string, list: string[] | undefined, testId: string) => (
    <Card size="small" title={title}>
      <Space wrap data-testid={testId}>
        {(list ?? []).length ? (list ?? []).map((w) => <Tag key={w}>{w}</Tag>) : t('searchWords.noSearches')}
      </Space>
    </Card>
  );
  return (
    <Row gutter={16}>
      <Col span={16}>
        <Card title={t('searchWords.title')}>
          <p style={{ color: '#666' }}>{t('searchWords.explain')}</p>
          <Space.Compact style={{ width: '100%', marginBottom: 16 }}>
            <Select
              mode="tags"
              value={words}
              onChange={setWords}
              placeholder={t('searchWords.placeholder')}
              aria-label={t('searchWords.words')}
              style={{ width: '100%' }}
              tokenSeparators={[',', '，', ' ']}
              open={false}
              data-testid="synonym-words"
            />
            <Button type="primary" disabled={words.length < 2} loading={add.isPending} onClick={() => void submit()}>
              {t('common.add')}
            </Button>
          </Space.Compact>
          <Table
            rowKey="id"
            size="small"
            {...tableState(groups, (d) => d)}
            columns={[
              {
                title: t('searchWords.words'),
                render: (_, g) => g.words.map((w) => <Tag key={w}>{w}</Tag>),
              },
              {
                title: '',
                width: 80,
                render: (_, g) => (
                  <Popconfirm title={t('searchWords.confirmRemove')} onConfirm={() => void drop(g.id)}>
                    <Button size="small" danger>
                      {t('common.delete')}
                    </Button>
                  </Popconfirm>
                ),
              },
            ]}
          />
        </Card>
      </Col>
      <Col span={8}>
        <Space direction="vertical" style={{ width: '100%' }}>
          {hot(t('searchWords.shopHot'), shopHot.data, 'shop-hot-words')}
          {hot(t('searchWords.platformHot'), platformHot.data, 'platform-hot-words')}
        </Space>
      </Col>
    </Row>
  );
}

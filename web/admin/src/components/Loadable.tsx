// Loading, empty and error states of server state in one place, so no page forgets them: a block
// that waits for its query, and the same three states for a table of a query's rows.
import { Alert, Button, Spin } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../api.ts';

/** What a TanStack query result offers that these need. */
export interface QueryState<T> {
  data: T | undefined;
  error: unknown;
  isFetching: boolean;
  refetch(): unknown;
}

function Failed(props: { query: QueryState<unknown> }) {
  const { t } = useTranslation();
  return (
    <Alert
      type="error"
      showIcon
      title={t('common.loadFailed')}
      description={errorText(props.query.error)}
      action={<Button onClick={() => void props.query.refetch()}>{t('common.retry')}</Button>}
    />
  );
}

export function Loadable<T>(props: { query: QueryState<T>; children: (d: T) => ReactNode }) {
  const { query } = props;
  if (query.error && query.data === undefined) return <Failed query={query} />;
  if (query.data === undefined) return <Spin style={{ display: 'block', margin: 40 }} />;
  return <>{props.children(query.data)}</>;
}

/** antd Table props for a query's rows: its spinner on the first load, its error in place of the rows. */
export function tableState<T, R>(query: QueryState<T>, rows: (d: T) => R[]) {
  return {
    loading: query.isFetching && query.data === undefined,
    dataSource: query.data === undefined ? [] : rows(query.data),
    ...(query.error && query.data === undefined ? { locale: { emptyText: <Failed query={query} /> } } : {}),
  };
}

// Loading, empty and error states of server state in one place, so no page forgets them.
import { Button, DotLoading, ErrorBlock } from 'antd-mobile';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../api.ts';

/** What a TanStack query result offers that this needs. */
export interface QueryState<T> {
  data: T | undefined;
  error: unknown;
  refetch(): unknown;
}

export function Async<T>(props: { query: QueryState<T>; empty?: (d: T) => boolean; children: (d: T) => ReactNode }) {
  const { query } = props;
  const { t } = useTranslation();
  if (query.error && query.data === undefined) {
    return (
      <ErrorBlock status="default" title={t('common.error')} description={errorText(query.error)}>
        <Button size="small" onClick={() => void query.refetch()}>
          {t('common.retry')}
        </Button>
      </ErrorBlock>
    );
  }
  if (query.data === undefined)
    return (
      <div className="center" data-testid="loading">
        <DotLoading /> {t('common.loading')}
      </div>
    );
  if (props.empty?.(query.data)) return <ErrorBlock status="empty" title={t('common.empty')} description="" />;
  return <>{props.children(query.data)}</>;
}

// Loading, empty and error states in one place, so no page forgets them.
import { Button, DotLoading, ErrorBlock } from 'antd-mobile';
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { errorText } from '../api.ts';
import { t } from '../i18n.ts';

export function useAsync<T>(load: () => Promise<T>, deps: unknown[]) {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const run = useCallback(load, deps);
  // Only the latest load may land: an earlier, slower answer never overwrites a newer one.
  const latest = useRef(0);
  const reload = useCallback(() => {
    const mine = ++latest.current;
    setState((s) => ({ ...s, loading: true }));
    run().then(
      (data) => { if (mine === latest.current) setState({ data, loading: false }); },
      (error: unknown) => { if (mine === latest.current) setState({ error, loading: false }); },
    );
  }, [run]);
  useEffect(reload, [reload]);
  return { ...state, reload, setData: (data: T) => setState({ data, loading: false }) };
}

export function Async<T>(props: { state: { data?: T; error?: unknown; loading: boolean; reload(): void }; empty?: (d: T) => boolean; children: (d: T) => ReactNode }) {
  const { state } = props;
  if (state.error) {
    return (
      <ErrorBlock status="default" title={t('出错了')} description={errorText(state.error)}>
        <Button size="small" onClick={state.reload}>{t('重试')}</Button>
      </ErrorBlock>
    );
  }
  if (state.data === undefined) return <div className="center" data-testid="loading"><DotLoading /> {t('加载中')}</div>;
  if (props.empty?.(state.data)) return <ErrorBlock status="empty" title={t('暂无内容')} description="" />;
  return <>{props.children(state.data)}</>;
}

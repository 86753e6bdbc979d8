import { useCallback, useEffect, useState } from 'react';

/** Load data for a page: `loading`, `error` and `reload` so every page shows all three states. */
export function useAsync<T>(load: () => Promise<T>, deps: unknown[]) {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const run = useCallback(load, deps);
  const reload = useCallback(() => {
    setState((s) => ({ ...s, loading: true }));
    run().then((data) => setState({ data, loading: false }), (error: unknown) => setState({ error, loading: false }));
  }, [run]);
  useEffect(reload, [reload]);
  return { ...state, reload };
}

// Server state in both web apps: TanStack Query over the typed openapi-fetch client
// (openapi-react-query). A query's key is [method, path, params], so a page that shows the same
// answer twice asks once; `refetchInterval` replaces hand-written polling. After any change the
// server accepted, every GET on screen is refetched (the apps are small enough that this costs
// less than remembering which answers a change touches, and nothing stale is ever left showing).
import { MutationCache, QueryClient } from '@tanstack/react-query';
import createQueryHooks from 'openapi-react-query';
import { ApiFailure } from './index.ts';
import { createSessionClient } from './session.ts';

export function createQueryClient(): QueryClient {
  const client: QueryClient = new QueryClient({
    defaultOptions: {
      // A refusal (4xx) will not change by asking again; a dropped connection or a 5xx may.
      queries: { retry: (n, e) => n < 2 && !(e instanceof ApiFailure && e.status < 500) },
      mutations: { retry: false },
    },
    mutationCache: new MutationCache({
      // POST queries (checkout quote, refund estimate) are computations on what is on screen, not reads.
      onSuccess: () => client.invalidateQueries({ predicate: (q) => q.queryKey[0] === 'get' }),
    }),
  });
  return client;
}

/**
 * An app's client: its session (kept under `storageKey`), the typed API, TanStack Query hooks
 * (`$api.useQuery('get', '/api/me')`) and their cache. Answers are cached by path, not by who
 * asked, so when someone else signs in, what is on screen is asked again as them (kept on screen
 * meanwhile, so an open sheet stays open) and everything else is dropped.
 */
export function createAppClient(storageKey: string) {
  const client = createSessionClient(storageKey);
  const queryClient = createQueryClient();
  let signedIn = client.session.get()?.userId ?? null;
  client.session.subscribe(() => {
    const now = client.session.get()?.userId ?? null;
    if (now === signedIn) return;
    signedIn = now;
    queryClient.removeQueries({ type: 'inactive' });
    void queryClient.invalidateQueries();
  });
  return { ...client, queryClient, $api: createQueryHooks(client.strictApi) };
}

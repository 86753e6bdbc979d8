// The shop's API client, signed-in session and server state (shared logic lives in @livemall/sdk).
import { createQueryClient, createQueryHooks, createSessionClient } from '@livemall/sdk';
import { useSyncExternalStore } from 'react';

export { unwrap, ApiFailure, yuan } from '@livemall/sdk';
export { errorMessage as errorText } from './i18n.ts';

export const { api, strictApi, session, call, signOut } = createSessionClient('lm.session');
export const useSession = () => useSyncExternalStore(session.subscribe, session.get);

/** TanStack Query hooks over the typed client: `$api.useQuery('get', '/api/cart')`. */
export const $api = createQueryHooks(strictApi);
export const queryClient = createQueryClient();

// Answers are cached by path, not by who asked, so a change of who is signed in refreshes them.
let signedIn = session.get()?.userId ?? null;
session.subscribe(() => {
  const now = session.get()?.userId ?? null;
  if (now === signedIn) return;
  signedIn = now;
  // What is on screen is asked again as the new person (kept on screen meanwhile, so an open sheet
  // stays open); everything else is dropped.
  queryClient.removeQueries({ type: 'inactive' });
  void queryClient.invalidateQueries();
});

// The shop's API client, signed-in session and server state (shared logic lives in @livemall/sdk).
import { createAppClient } from '@livemall/sdk';
import { useSyncExternalStore } from 'react';

export { unwrap, ApiFailure, yuan } from '@livemall/sdk';
export { errorMessage as errorText } from './i18n.ts';

/** Session, typed API and TanStack Query hooks: `$api.useQuery('get', '/api/cart')`. */
export const { api, strictApi, session, call, signOut, $api, queryClient } = createAppClient('lm.session');
export const useSession = () => useSyncExternalStore(session.subscribe, session.get);

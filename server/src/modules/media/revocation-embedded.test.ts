// Live video revocation (revocation-suite.ts) on the embedded defaults: PGlite and the in-process cache.
import { APP_BACKENDS } from '../../../test/backends.ts';
import { liveRevocationSuite } from './revocation-suite.ts';

liveRevocationSuite(APP_BACKENDS[0]!);

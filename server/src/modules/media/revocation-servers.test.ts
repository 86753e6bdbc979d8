// Live video revocation (revocation-suite.ts) on the real servers (PostgreSQL and Redis, as on CI),
// with the shop acting on a second node; skipped where DATABASE_URL / REDIS_URL are not set.
import { describe, it } from 'vitest';
import { APP_BACKENDS } from '../../../test/backends.ts';
import { liveRevocationSuite } from './revocation-suite.ts';

const servers = APP_BACKENDS.length > 1 ? APP_BACKENDS.at(-1)! : null;
if (servers) liveRevocationSuite(servers);
else
  describe('live video revocation on PostgreSQL and Redis', () => {
    it.skip('needs DATABASE_URL and REDIS_URL', () => {});
  });

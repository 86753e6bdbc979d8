// Print the server's OpenAPI document without starting a listener (for packages/sdk).
//   npx tsx scripts/openapi.ts > packages/sdk/openapi.json
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createApp } from '../server/src/app.ts';
import { testConfig } from '../server/src/platform/config.ts';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'livemall-openapi-'));
const app = await createApp(testConfig({ dataDir, seedDemo: false, demoStream: false, logLevel: 'error' } as never), {
  pgliteDir: 'memory://',
});
await app.http.ready();
process.stdout.write(JSON.stringify(app.http.swagger(), null, 1));
await app.close();
fs.rmSync(dataDir, { recursive: true, force: true });

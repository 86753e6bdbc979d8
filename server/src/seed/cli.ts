// `npm run seed`: apply migrations and every module's demo seed (even on seeded data), then exit.
// Safe to run any number of times: each seed adds only what is missing.
import { createApp } from '../app.ts';
import { loadConfig } from '../platform/config.ts';
import { seedDemo } from './seed.ts';

const app = await createApp({ ...loadConfig(), workers: false });
try {
  await seedDemo(app, process.stdout, { force: true });
} finally {
  await app.close();
}

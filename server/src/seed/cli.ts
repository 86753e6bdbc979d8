// `npm run seed`: apply migrations and demo data, then exit. Safe to run any number of times.
import { createApp } from '../app.ts';
import { loadConfig } from '../platform/config.ts';
import { seedDemo } from './seed.ts';

const app = await createApp({ ...loadConfig(), workers: false });
try {
  await seedDemo(app);
} finally {
  await app.close();
}

import { defineConfig } from 'vitest/config';

// Pages and components render in jsdom through miniprogram-simulate (j-component + the official WXML
// compiler); they are loaded from dist/, so `npm test` builds first.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'jsdom',
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    env: { NODE_ENV: 'test' },
  },
});

import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Served by the LiveMall server under /shop/ (npm start builds it). In dev, API calls go to a
// server on :3000.
export default defineConfig({
  base: '/shop/',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, manifest: true, reportCompressedSize: true, chunkSizeWarningLimit: 600 },
  server: {
    proxy: {
      '/api': 'http://127.0.0.1:3000',
      '/ws': { target: 'ws://127.0.0.1:3000', ws: true },
      '/live': 'http://127.0.0.1:3000',
      '/replays': 'http://127.0.0.1:3000',
      '/files': 'http://127.0.0.1:3000',
      '/pay': 'http://127.0.0.1:3000',
    },
  },
});

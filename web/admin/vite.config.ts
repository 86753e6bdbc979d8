import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Served by the LiveMall server under /admin/ (npm start builds it).
export default defineConfig({
  base: '/admin/',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, manifest: true, chunkSizeWarningLimit: 1500 },
  server: {
    proxy: {
      '/api': 'http://127.0.0.1:3000',
      '/ws': { target: 'ws://127.0.0.1:3000', ws: true },
      '/live': 'http://127.0.0.1:3000',
      '/files': 'http://127.0.0.1:3000',
    },
  },
});

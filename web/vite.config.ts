import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 1200,
  },
  server: {
    // `npx vite web` during development: the API runs on FRONTLINE_DEV_API (npm start).
    proxy: { '/api': { target: process.env.FRONTLINE_DEV_API ?? 'http://127.0.0.1:3000', ws: true } },
  },
});

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = path.dirname(fileURLToPath(import.meta.url));

/** The web app: built into dist/web, which the Passeur server serves (with the SPA fallback). */
export default defineConfig({
  root: here,
  base: '/',
  plugins: [react()],
  build: {
    outDir: path.resolve(here, '../../dist/web'),
    emptyOutDir: true,
    target: 'es2022',
  },
  server: {
    // `npx vite --config src/web/vite.config.ts` against a running `passeur start --port 18090`.
    proxy: {
      '/api': { target: process.env.PASSEUR_URL ?? 'http://localhost:18090', changeOrigin: false },
    },
  },
});

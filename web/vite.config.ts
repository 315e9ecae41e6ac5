import { defineConfig } from 'vite';
import solid from 'vite-plugin-solid';
import { fileURLToPath } from 'node:url';

const api = 'http://127.0.0.1:8787';

// The dashboard builds on its own: API types are type-only imports and vanish here.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [solid()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
  },
  server: {
    port: 5173,
    strictPort: true,
    proxy: {
      '/api': { target: api, ws: true, changeOrigin: false },
      '/agent': { target: api, ws: true, changeOrigin: false },
    },
  },
});

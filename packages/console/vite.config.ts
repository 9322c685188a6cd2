import { defineConfig } from 'vite';

// The gateway serves `dist/` at `/`; `npm run dev` proxies the API to a locally running gateway.
export default defineConfig({
  base: '/',
  oxc: { jsx: { runtime: 'automatic' } },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022' },
  server: {
    proxy: { '/v1': 'http://127.0.0.1:8787', '/api': 'http://127.0.0.1:8787' },
  },
});

import { defineConfig } from 'vite';

/**
 * The relay serves this build at `/inbox/` from the same origin as the API, so every asset URL
 * is rooted there. No plugin is needed: vite's own transform (oxc) compiles JSX for Preact.
 */
export default defineConfig({
  base: '/inbox/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2023',
  },
});

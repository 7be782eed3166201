import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

// No @vitejs/plugin-react: Vite 8 compiles TSX with oxc itself; the automatic runtime means
// components never import React for JSX.
export default defineConfig({
  root: `${here}web`,
  base: '/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
  build: {
    outDir: `${here}dist/web`,
    emptyOutDir: true,
    // tools/lib/console-build.mjs reads the manifest to measure the entry chunk's budget.
    manifest: true,
    // The lazy graph chunk carries elkjs (~1.4 MB minified by itself); the entry has its own
    // budget in console-build.mjs, so this warning would only ever name that chunk.
    chunkSizeWarningLimit: 2000,
    rolldownOptions: {
      onwarn(warning, warn) {
        // react-router and @xyflow/react mark themselves "use client" for React Server
        // Components; a browser-only bundle has no server side, so the directive is moot.
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
  server: {
    // `vite` in dev talks to a running console backend, same origin as in production.
    proxy: { '/api': 'http://127.0.0.1:8050', '/auth': 'http://127.0.0.1:8050' },
  },
});

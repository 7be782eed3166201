import { defineConfig, mergeConfig } from 'vitest/config';
import viteConfig from './vite.config';

export default mergeConfig(
  viteConfig,
  defineConfig({
    test: {
      environment: 'jsdom',
      include: ['src/**/*.test.tsx', 'src/**/*.test.ts'],
      setupFiles: ['src/testing/setup.ts'],
      // Two cores on CI, shared with jest: keep the web suite to one worker thread pool.
      maxWorkers: 1,
    },
  }),
);

// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import horizon from './tools/eslint/module-boundaries.mjs';

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      '.horizon/',
      'dist/',
      // Every app's build output: services' bundles (npm run build), the agent runner's, the
      // CLI's (tools/lib/cli-build.mjs), the console's browser app (tools/lib/console-build.mjs).
      'apps/*/dist/',
      'coverage/',
      '.nx/',
      'libs/db/src/generated/',
      // The demo's sample repository: a project of its own, linted by nothing but its own tsc.
      'apps/cli/demo/cart/',
      '**/*.d.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        fetch: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        __dirname: 'readonly',
        require: 'readonly',
        module: 'writable',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'off',
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    // Apps never import apps; a multi-service test (type:e2e) boots apps through their entry.
    plugins: { horizon },
    rules: {
      'horizon/module-boundaries': [
        'error',
        {
          depConstraints: [
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:lib', 'type:app'] },
          ],
        },
      ],
    },
  },
  {
    // The console's browser app. tsc already checks names in TS (typescript-eslint turns
    // no-undef off there); these keep the browser's globals known to any rule that asks.
    files: ['apps/console/web/**/*.{ts,tsx}'],
    languageOptions: {
      globals: {
        window: 'readonly',
        document: 'readonly',
        localStorage: 'readonly',
        EventSource: 'readonly',
        MessageEvent: 'readonly',
        HTMLElement: 'readonly',
        HTMLCanvasElement: 'readonly',
        FormData: 'readonly',
        URLSearchParams: 'readonly',
        AbortController: 'readonly',
        Response: 'readonly',
        performance: 'readonly',
      },
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);

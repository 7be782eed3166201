// One jest run over every project; suites run in parallel workers, each suite isolated by
// its own database and stream prefix (see libs/testing).
const fs = require('node:fs');
const path = require('node:path');

const swc = JSON.parse(fs.readFileSync(path.join(__dirname, '.swcrc'), 'utf8'));
delete swc.$schema;

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/tools', '<rootDir>/e2e'],
  testMatch: ['**/*.spec.ts', '**/test/**/*.test.ts'],
  // The demo's sample repository is a project of its own: its tests run inside sandboxes.
  // The console's browser app is tested by vitest in jsdom (apps/console/vitest.config.ts).
  testPathIgnorePatterns: ['/node_modules/', '/apps/cli/demo/', '/apps/console/web/'],
  transform: { '^.+\\.(t|j|mj)s$': ['@swc/jest', { ...swc, swcrc: false }] },
  // These SDKs ship ES modules only; jest's CommonJS runtime needs them transformed.
  transformIgnorePatterns: [
    '/node_modules/(?!(@nats-io|@kubernetes/client-node|openid-client|oauth4webapi|jose|@octokit|@linear|@fastify|universal-user-agent|before-after-hook|content-type|content-disposition|cookie|universal-github-app-jwt)/)',
  ],
  // @octokit/webhooks-methods publishes only an "import" export condition, which jest cannot resolve.
  moduleNameMapper: {
    '^@octokit/webhooks-methods$': '<rootDir>/node_modules/@octokit/webhooks-methods/dist-node/index.js',
    '^@octokit/auth-unauthenticated$':
      '<rootDir>/node_modules/@octokit/auth-unauthenticated/dist-node/index.js',
  },
  setupFiles: ['reflect-metadata'],
  testTimeout: 30000,
};

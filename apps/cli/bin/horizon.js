#!/usr/bin/env node
// `horizon` (npx horizon, or on the PATH through node_modules/.bin): the bundle the bootstrap
// builds (tools/lib/cli-build.mjs) when it is current, else the sources through swc (the same
// CLI, a second slower to start).
const path = require('node:path');
const { CLI_BUNDLE, cliIsStale } = require('./bundle.cjs');

if (!cliIsStale()) require(CLI_BUNDLE);
else {
  require('@swc-node/register');
  require(path.join(__dirname, '..', 'src', 'main.ts'));
}

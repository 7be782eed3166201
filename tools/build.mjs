#!/usr/bin/env node
// `npm run build`: everything production runs, as JavaScript: each service bundled into
// apps/<name>/dist/main.cjs (tools/lib/service-build.mjs), the agent runner that sandboxes
// start into apps/agent-runner/dist/agent-runner.cjs (what SANDBOX_RUNNER_BUNDLE names), the
// CLI (apps/cli/dist/horizon.cjs) and the console's browser app. `npm run start:prod` and the
// images (docker/Dockerfile) run these. Needs node_modules and the generated Prisma client
// (the bootstrap makes both), not the database.
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildService } from './lib/service-build.mjs';
import { RUNNER_BUNDLE, SERVICES, bundleOf } from './lib/services.mjs';
import { ROOT } from './lib/stack.mjs';

export async function buildAll({ log = (line) => process.stdout.write(`[horizon] ${line}\n`) } = {}) {
  const started = Date.now();
  const esbuild = await import('esbuild');
  // One after the other: esbuild is multi-threaded already and these share most inputs.
  for (const service of SERVICES) {
    const { ms, bytes } = await buildService(service.name, { esbuild });
    log(
      `${service.name.padEnd(16)} ${path.relative(ROOT, bundleOf(service.name))}  ${(bytes / 1e6).toFixed(1)} MB  ${ms} ms`,
    );
  }
  // The runner's bundle is made by the same function sandbox-manager uses when none is prebuilt.
  const require = createRequire(import.meta.url);
  require('@swc-node/register');
  const { bundleRunner } = require(path.join(ROOT, 'libs', 'runner-launch', 'src', 'runtime.ts'));
  await bundleRunner(RUNNER_BUNDLE);
  log(`agent-runner     ${path.relative(ROOT, RUNNER_BUNDLE)}`);
  const { buildCliIfStale } = await import('./lib/cli-build.mjs');
  await buildCliIfStale();
  log('cli              apps/cli/dist/horizon.cjs');
  const { buildConsoleIfStale } = await import('./lib/console-build.mjs');
  await buildConsoleIfStale({ log });
  log(`console web      apps/console/dist/web`);
  log(`built in ${((Date.now() - started) / 1000).toFixed(1)}s`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  buildAll().catch((err) => {
    process.stderr.write(`[horizon] FAILED: the build: ${err.message}\n`);
    process.exit(1);
  });
}

// The CLI, bundled by esbuild into apps/cli/dist/horizon.cjs so `horizon` starts without
// compiling TypeScript (swc at every start cost about a second) nor resolving hundreds of
// files: the CLI, the @horizon libraries it uses and their packages are one minified file.
// Rebuilt when an input esbuild reported last time is newer than the bundle (dist/ is not committed).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import bundleState from '../../apps/cli/bin/bundle.cjs';

const { ROOT, CLI_BUNDLE, INPUTS, cliIsStale } = bundleState;
const CLI = path.join(ROOT, 'apps/cli');

// Left to `require` at run time: optional peers Nest loads only when asked for (validation
// pipes, websockets, microservices, express; absent here and never reached by the CLI), and
// pino, whose transports start worker files found next to its own (a bundle has none there).
const EXTERNAL = [
  'class-validator',
  'class-transformer',
  '@nestjs/websockets',
  '@nestjs/microservices',
  '@nestjs/platform-express',
  'pino',
  'thread-stream',
];

/** Builds the bundle when stale; `{ built, ms }`. */
export async function buildCliIfStale() {
  if (!cliIsStale()) return { built: false };
  const started = Date.now();
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: [path.join(CLI, 'src/main.ts')],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    outfile: CLI_BUNDLE,
    sourcemap: 'linked',
    minify: true,
    metafile: true,
    logLevel: 'silent',
    external: EXTERNAL.flatMap((name) => [name, `${name}/*`]),
  });
  // This file too: a change to how the bundle is made makes it stale.
  const inputs = [
    ...Object.keys(result.metafile.inputs),
    path.relative(ROOT, fileURLToPath(import.meta.url)),
  ];
  fs.writeFileSync(INPUTS, JSON.stringify(inputs));
  return { built: true, ms: Date.now() - started };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { built, ms } = await buildCliIfStale();
  process.stdout.write(built ? `cli: bundled in ${ms} ms\n` : 'cli: bundle is current\n');
}

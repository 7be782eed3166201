// Production builds of the services: each apps/<name>/src/main.ts bundled by esbuild into
// apps/<name>/dist/main.cjs, so a service starts from JavaScript (no swc at every start).
// esbuild cannot emit decorator metadata, which Nest's dependency injection reads, so our own
// TypeScript goes through swc first with the project's .swcrc (the same transform `npm start`
// uses from source); esbuild then bundles its output with the packages.
import fs from 'node:fs';
import path from 'node:path';
import { bundleOf } from './services.mjs';
import { ROOT } from './stack.mjs';

// Optional peers Nest and Fastify load only when asked for (validation pipes, websockets,
// microservices, express, views; pg's native binding): never installed, never reached.
export const ABSENT_PEERS = [
  'class-validator',
  'class-transformer',
  '@nestjs/websockets',
  '@nestjs/microservices',
  '@nestjs/platform-express',
  '@fastify/view',
  'pg-native',
];

// Left to `require` at run time, from node_modules: pino (its transports start worker files
// found next to its own), the Prisma client runtime (loads its query compiler's wasm from its
// own folder), esbuild (sandbox-manager bundles the agent runner with it when no prebuilt bundle
// is configured), OpenCode's package (its binary is found through require.resolve) and playwright-core
// (sandbox-manager's browser checks; it reads its own files and injected scripts at run time).
const RUNTIME_PACKAGES = [
  'pino',
  'thread-stream',
  '@prisma/client',
  'esbuild',
  'opencode-ai',
  'playwright-core',
];
const EXTERNAL = [...ABSENT_PEERS, ...RUNTIME_PACKAGES];

/**
 * esbuild plugin: our TypeScript (not node_modules) compiled by swc with .swcrc, as ES modules
 * so esbuild still tree-shakes. `__dirname` in a source file means that file's folder (the
 * console's web build, the sandbox's egress forwarder); in a bundle it would be the bundle's,
 * so it is rewritten to the source folder relative to the bundle: the bundle works wherever the
 * checkout (or the image's /app) lies, as long as those files are next to it.
 */
export function swcDecorators({ outDir }) {
  return {
    name: 'horizon-swc-decorators',
    async setup(build) {
      const swc = await import('@swc/core');
      const swcrc = JSON.parse(fs.readFileSync(path.join(ROOT, '.swcrc'), 'utf8'));
      build.onLoad({ filter: /\.tsx?$/ }, async (args) => {
        if (args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
        const source = await fs.promises.readFile(args.path, 'utf8');
        const { code } = await swc.transform(source, {
          ...swcrc,
          $schema: undefined,
          filename: args.path,
          swcrc: false,
          sourceMaps: 'inline',
          module: { type: 'es6' },
        });
        const relative = path.relative(outDir, path.dirname(args.path)).split(path.sep).join('/');
        const dirname = `require("node:path").join(__dirname, ${JSON.stringify(relative)})`;
        return {
          contents: code.replace(/\b__dirname\b/g, dirname),
          loader: 'js',
          resolveDir: path.dirname(args.path),
        };
      });
    },
  };
}

/** Bundles one service's main.ts; `{ ms, bytes }`. */
export async function buildService(name, { esbuild } = {}) {
  const { build } = esbuild ?? (await import('esbuild'));
  const outfile = bundleOf(name);
  const started = Date.now();
  await build({
    absWorkingDir: ROOT,
    entryPoints: [path.join(ROOT, 'apps', name, 'src', 'main.ts')],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    outfile,
    sourcemap: 'linked',
    // Class names stay: Nest resolves providers and logs by them.
    keepNames: true,
    minifySyntax: true,
    minifyWhitespace: true,
    logLevel: 'silent',
    external: EXTERNAL.flatMap((pkg) => [pkg, `${pkg}/*`]),
    plugins: [swcDecorators({ outDir: path.dirname(outfile) })],
  });
  return { ms: Date.now() - started, bytes: fs.statSync(outfile).size };
}

// What one built service needs on disk to run, and nothing else: its bundle, the packages the
// bundle leaves to `require` (tools/lib/service-build.mjs EXTERNAL) with just the files of
// theirs it loads, and the files our sources reach through `__dirname`. Traced by
// @vercel/nft (the file tracer Next.js and Vercel use), so an image (docker/Dockerfile) copies
// tens of megabytes instead of node_modules' 1.5 GB. `node tools/lib/runtime-files.mjs OUT`
// copies each service's set into OUT/<service>/, laid out as in the checkout.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { nodeFileTrace } from '@vercel/nft';
import { ABSENT_PEERS } from './service-build.mjs';
import { RUNNER_BUNDLE, SERVICES, bundleOf } from './services.mjs';
import { ROOT } from './stack.mjs';

const rel = (file) => path.relative(ROOT, file);

// OpenCode's binary, as libs/runner-launch/src/opencode-binary.ts finds it: the platform
// package's (185 MB, so only the one that is used); the wrapper's copy is then never run.
const OPENCODE_WRAPPER_BINARY = 'node_modules/opencode-ai/bin/opencode.exe';
function openCodePlatformPackage() {
  const base = `opencode-${process.platform}-${process.arch}`;
  const found = [base, `${base}-baseline`]
    .map((name) => path.join(ROOT, 'node_modules', name))
    .find((dir) => fs.existsSync(path.join(dir, 'bin', 'opencode')));
  if (!found) throw new Error(`no OpenCode binary under node_modules/${base}*: run npm ci`);
  return found;
}

// Codex's native binary, as libs/runner-launch/src/codex-binary.ts finds it: the platform
// package's manifest and executable only (its other helpers and resources are never run).
const CODEX_TRIPLES = { x64: 'x86_64-unknown-linux-musl', arm64: 'aarch64-unknown-linux-musl' };
function codexBinaryFiles() {
  const dir = path.join(ROOT, 'node_modules', '@openai', `codex-${process.platform}-${process.arch}`);
  const bin = path.join(dir, 'vendor', CODEX_TRIPLES[process.arch] ?? '', 'bin', 'codex');
  if (!fs.existsSync(bin)) throw new Error(`no Codex binary at ${rel(bin)}: run npm ci`);
  return [path.join(dir, 'package.json'), bin];
}

// Claude Code's native binary, as libs/runner-launch/src/claude-binary.ts finds it.
function claudeBinaryFiles() {
  const dir = path.join(
    ROOT,
    'node_modules',
    '@anthropic-ai',
    `claude-code-${process.platform}-${process.arch}`,
  );
  const bin = path.join(dir, 'claude');
  if (!fs.existsSync(bin)) throw new Error(`no Claude Code binary at ${rel(bin)}: run npm ci`);
  return [path.join(dir, 'package.json'), bin];
}

/** Files a service reads at run time that no `require` names (each found through `__dirname`). */
function extraFiles(service) {
  if (service === 'console') return [path.join(ROOT, 'apps/console/dist/web')];
  if (service === 'sandbox-manager')
    return [
      path.join(ROOT, 'libs/sandbox/src/egress/forwarder.js'),
      // Started in every sandbox: the prebuilt runner and the pinned OpenCode, Codex and Claude Code binaries.
      RUNNER_BUNDLE,
      openCodePlatformPackage(),
      ...codexBinaryFiles(),
      ...claudeBinaryFiles(),
    ];
  return [];
}

const walk = (file) =>
  fs.statSync(file).isDirectory()
    ? fs.readdirSync(file).flatMap((name) => walk(path.join(file, name)))
    : [file];

/** The files (relative to the checkout) one built service needs; its bundle must exist. */
export async function runtimeFiles(service) {
  const bundle = bundleOf(service);
  if (!fs.existsSync(bundle)) throw new Error(`${rel(bundle)} is missing: run \`npm run build\` first`);
  const { fileList, warnings } = await nodeFileTrace([bundle, `${bundle}.map`], { base: ROOT });
  // What our bundle requires must be there (packages' own optional requires, like esbuild's
  // pnpapi, are theirs to handle), except the peers left out on purpose.
  const absent = (message) => ABSENT_PEERS.some((peer) => message.includes(`"${peer}`));
  const unresolved = [...warnings].filter(
    (w) => w.message.startsWith('Failed to resolve') && w.message.includes(bundle) && !absent(w.message),
  );
  if (unresolved.length) throw new Error(`${service}: ${unresolved.map((w) => w.message).join('; ')}`);
  const extra = extraFiles(service).flatMap(walk).map(rel);
  const files = [...fileList, ...extra, 'package.json'];
  const skip = service === 'sandbox-manager' ? OPENCODE_WRAPPER_BINARY : null;
  return [...new Set(files)].filter((file) => file !== skip).sort();
}

/** Copies each service's files into `out/<service>/`; returns `{ service: bytes }`. */
export async function copyRuntimeFiles(out, services = SERVICES.map((s) => s.name)) {
  const sizes = {};
  for (const service of services) {
    const target = path.join(out, service);
    fs.rmSync(target, { recursive: true, force: true });
    let bytes = 0;
    for (const file of await runtimeFiles(service)) {
      const from = path.join(ROOT, file);
      const stat = fs.lstatSync(from);
      if (stat.isDirectory()) continue;
      fs.mkdirSync(path.dirname(path.join(target, file)), { recursive: true });
      // Workspace packages are symlinks in node_modules: the copy keeps them relative links.
      if (stat.isSymbolicLink()) fs.symlinkSync(fs.readlinkSync(from), path.join(target, file));
      else {
        fs.copyFileSync(from, path.join(target, file));
        fs.chmodSync(path.join(target, file), stat.mode & 0o777);
        bytes += stat.size;
      }
    }
    sizes[service] = bytes;
  }
  return sizes;
}

// No top-level await: jest loads this file as CommonJS (e2e/test/built-services.test.ts).
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const out = path.resolve(process.argv[2] ?? 'dist/runtime');
  copyRuntimeFiles(out).then(
    (sizes) => {
      for (const [service, bytes] of Object.entries(sizes))
        process.stdout.write(
          `[horizon] ${service.padEnd(16)} ${(bytes / 1e6).toFixed(1)} MB → ${path.join(out, service)}\n`,
        );
    },
    (err) => {
      process.stderr.write(`[horizon] FAILED: tracing runtime files: ${err.message}\n`);
      process.exit(1);
    },
  );
}

import { chmod, copyFile, mkdir, rename, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { build } from 'esbuild';
import { resolveClaudeBinary } from './claude-binary';
import { resolveCodexBinary } from './codex-binary';
import { resolveOpenCodeBinary } from './opencode-binary';
import { runnerInside } from './layout';

export interface RunnerRuntime {
  /** Host path of the bundled runner. */
  bundle: string;
  /**
   * What every sandbox must have bound read-only for the runner to start in it: the bundle,
   * the node binary that runs it, and the pinned OpenCode and Codex binaries. For `LocalSandboxDriver`'s
   * `readOnlyBinds`. Nothing else of the host (the data folder, node_modules) goes in.
   */
  readOnlyBinds: Array<{ host: string; inside: string }>;
}

export interface RunnerRuntimeOptions {
  /** `HORIZON_DATA_DIR`: the bundle is written to `<dataDir>/runner/agent-runner.js`. */
  dataDir: string;
  /** Default: the pinned `opencode-ai` package's binary. */
  opencodeBinary?: string;
  /** Default: the pinned `@openai/codex` package's native binary. */
  codexBinary?: string;
  /** Default: the pinned `@anthropic-ai/claude-code` package's native binary. */
  claudeBinary?: string;
  /** Default: this process's node. */
  nodeBinary?: string;
  /**
   * A runner bundle made beforehand (`npm run build`), copied instead of bundling the sources:
   * a built deployment has neither the runner's TypeScript nor time to spend on it at start.
   */
  prebuiltBundle?: string;
}

/**
 * Builds the agent-runner into one self-contained file (its code, `@horizon/contracts`, zod)
 * and says what to bind where. Called once when sandbox-manager starts, before the driver
 * is opened. The file is replaced by a rename, so sandboxes already running keep theirs.
 */
export async function prepareRunnerRuntime(options: RunnerRuntimeOptions): Promise<RunnerRuntime> {
  const dir = join(options.dataDir, 'runner');
  await mkdir(dir, { recursive: true, mode: 0o755 });
  await chmod(dir, 0o755);
  // bwrap binds as the sandbox uid, which must be able to walk to the file (as for the
  // driver's state folder); traversing does not let it list or read anything else.
  const dataDir = await stat(options.dataDir);
  if ((dataDir.mode & 0o001) === 0) await chmod(options.dataDir, (dataDir.mode & 0o7777) | 0o001);
  const bundle = join(dir, 'agent-runner.js');
  if (options.prebuiltBundle) await copyPrebuilt(options.prebuiltBundle, bundle);
  else await bundleRunner(bundle);
  return {
    bundle,
    readOnlyBinds: [
      { host: bundle, inside: runnerInside.bundle },
      { host: options.nodeBinary ?? process.execPath, inside: runnerInside.node },
      { host: options.opencodeBinary ?? resolveOpenCodeBinary(), inside: runnerInside.opencode },
      { host: options.codexBinary ?? resolveCodexBinary(), inside: runnerInside.codex },
      { host: options.claudeBinary ?? resolveClaudeBinary(), inside: runnerInside.claude },
    ],
  };
}

/**
 * The agent-runner's entry file: a build input of the bundle (read by esbuild, never imported),
 * so the host side does not depend on the runner's code.
 */
const RUNNER_ENTRY = join(__dirname, '..', '..', '..', 'apps', 'agent-runner', 'src', 'main.ts');

/** Copies a prebuilt bundle next to `outFile` and renames it over it, as `bundleRunner` does. */
async function copyPrebuilt(prebuilt: string, outFile: string): Promise<void> {
  const staging = `${outFile}.${process.pid}.tmp`;
  try {
    await copyFile(prebuilt, staging);
  } catch (err) {
    throw new Error(
      `the prebuilt agent-runner bundle ${prebuilt} cannot be read (${(err as Error).message}): run \`npm run build\` or unset SANDBOX_RUNNER_BUNDLE`,
    );
  }
  await chmod(staging, 0o644);
  await rename(staging, outFile);
}

/** esbuild of the runner's `main.ts`, written next to `outFile` and renamed over it. */
export async function bundleRunner(outFile: string): Promise<void> {
  const staging = `${outFile}.${process.pid}.tmp`;
  await build({
    entryPoints: [RUNNER_ENTRY],
    // The runner imports this lib for its layout, report and event log; `sideEffects: false`
    // in its package.json lets esbuild drop the host side (this file, the launcher), and
    // esbuild itself is never bundled.
    external: ['esbuild'],
    outfile: staging,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    legalComments: 'none',
    logLevel: 'error',
  });
  await chmod(staging, 0o644);
  await rename(staging, outFile);
}

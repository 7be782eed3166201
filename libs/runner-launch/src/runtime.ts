import { chmod, mkdir, rename, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { build } from 'esbuild';
import { resolveOpenCodeBinary } from './opencode-binary';
import { runnerInside } from './layout';

export interface RunnerRuntime {
  /** Host path of the bundled runner. */
  bundle: string;
  /**
   * What every sandbox must have bound read-only for the runner to start in it: the bundle,
   * the node binary that runs it, and the pinned OpenCode binary. For `LocalSandboxDriver`'s
   * `readOnlyBinds`. Nothing else of the host (the data folder, node_modules) goes in.
   */
  readOnlyBinds: Array<{ host: string; inside: string }>;
}

export interface RunnerRuntimeOptions {
  /** `HORIZON_DATA_DIR`: the bundle is written to `<dataDir>/runner/agent-runner.js`. */
  dataDir: string;
  /** Default: the pinned `opencode-ai` package's binary. */
  opencodeBinary?: string;
  /** Default: this process's node. */
  nodeBinary?: string;
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
  await bundleRunner(bundle);
  return {
    bundle,
    readOnlyBinds: [
      { host: bundle, inside: runnerInside.bundle },
      { host: options.nodeBinary ?? process.execPath, inside: runnerInside.node },
      { host: options.opencodeBinary ?? resolveOpenCodeBinary(), inside: runnerInside.opencode },
    ],
  };
}

/**
 * The agent-runner's entry file: a build input of the bundle (read by esbuild, never imported),
 * so the host side does not depend on the runner's code.
 */
const RUNNER_ENTRY = join(__dirname, '..', '..', '..', 'apps', 'agent-runner', 'src', 'main.ts');

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

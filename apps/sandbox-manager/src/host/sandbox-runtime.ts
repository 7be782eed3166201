import { randomUUID } from 'node:crypto';
import { chmod, mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import {
  LocalSandboxDriver,
  SandboxUnavailableError,
  SnapshotStore,
  defaultFlavourPolicies,
  withRepoExtras,
  type EgressCredentials,
  type LocalSandboxDriverOptions,
  type SandboxDriver,
} from '@horizon/sandbox';
import type { SandboxResources } from '@horizon/contracts';
import type { RepositoryRemote, SandboxHost, SnapshotRefresher } from '../application/ports';
import { SnapshotService } from '../application/snapshot.service';
import { DriverSandboxHost, type DriverSandboxHostOptions } from './driver-sandbox-host';
import { GitSetupInputs } from './git-setup-inputs';
import { StaticRunCredentials, type RunCredentials } from './run-credentials';

export interface SandboxRuntimeOptions {
  /** Root-owned folder: `driver/` (sandboxes), `snapshots/`, `artifacts/`, `git-cache/`. One driver per folder. */
  stateDir: string;
  /** Defaults to `<stateDir>/snapshots`; may be shared by several runtimes. */
  snapshotsDir?: string;
  /** Defaults to `<stateDir>/artifacts`. */
  artifactsDir?: string;
  hostName: string;
  hostUid: number;
  remote: RepositoryRemote;
  /** What the egress proxy adds, the same for every sandbox… */
  credentials: EgressCredentials;
  /** …unless given per run (a forge token minted for each run). */
  runCredentials?: RunCredentials;
  snapshotKeep: number;
  /** Host files every sandbox sees read-only (the agent-runner, see `prepareRunnerRuntime`). */
  readOnlyBinds?: LocalSandboxDriverOptions['readOnlyBinds'];
  /** Port the egress proxy appears on inside sandboxes (the driver's default is 3128). */
  proxyPort?: number;
  onModelUsage?: DriverSandboxHostOptions['onModelUsage'];
  modelGate?: DriverSandboxHostOptions['modelGate'];
}

/** The host's sandboxes and snapshots, or — on a host missing a primitive — the refusal naming it. */
export interface SandboxRuntime {
  host: SandboxHost;
  snapshots: SnapshotRefresher;
  refusal: SandboxUnavailableError | null;
  /** Null on a refusing host. */
  driver: SandboxDriver | null;
  /** `<sandbox id>/` folders of run artifacts. */
  artifactsDir: string;
}

const setupResources: SandboxResources = { memoryMiB: 4096, cpuMillis: 2000, maxProcesses: 1024 };

/**
 * Opens the local driver (which clears sandboxes an earlier process left in `driver/`) and
 * builds what sandbox-manager and the operator command share: how snapshots are built, where
 * artifacts go, and how a run's sandbox is booted.
 */
export async function openSandboxRuntime(options: SandboxRuntimeOptions): Promise<SandboxRuntime> {
  const root = resolve(options.stateDir);
  const artifactsDir = resolve(options.artifactsDir ?? join(root, 'artifacts'));
  // bwrap binds each sandbox's folders as the unprivileged sandbox uid: it must traverse the root.
  await mkdir(root, { recursive: true, mode: 0o711 });
  await chmod(root, 0o711);
  let driver: LocalSandboxDriver;
  try {
    driver = await LocalSandboxDriver.open({
      stateDir: join(root, 'driver'),
      hostUid: options.hostUid,
      ...(options.proxyPort ? { proxyPort: options.proxyPort } : {}),
      ...(options.readOnlyBinds ? { readOnlyBinds: options.readOnlyBinds } : {}),
    });
  } catch (error) {
    if (!(error instanceof SandboxUnavailableError)) throw error;
    return { ...refusingRuntime(options.hostName, error), refusal: error, driver: null, artifactsDir };
  }
  const setupLogs = join(artifactsDir, 'snapshot-setup');
  await mkdir(setupLogs, { recursive: true, mode: 0o700 });
  const proxy = `http://127.0.0.1:${options.proxyPort ?? 3128}`;
  const store = new SnapshotStore({
    rootDir: resolve(options.snapshotsDir ?? join(root, 'snapshots')),
    driver,
    sandboxUid: options.hostUid,
    sandboxGid: options.hostUid,
    setupResources,
    // Setup reaches package registries and the repository's extra hosts; no git, model or MCP.
    setupEgress: (config) => ({
      policy: {
        ...withRepoExtras(defaultFlavourPolicies.plan, config.egress.allow),
        git: 'none',
        model: false,
        mcp: false,
      },
      run: { repo: { owner: 'snapshot', name: 'setup' }, branch: 'none' },
      credentials: {},
      logFile: join(setupLogs, `${Date.now()}-${randomUUID()}.jsonl`),
    }),
  });
  const snapshots = new SnapshotService(store, options.remote, {
    keep: options.snapshotKeep,
    remoteInside: (repo) => `${proxy}/_horizon/git/${repo}.git`,
    // Per runtime, not beside the snapshots (which several runtimes may share): one fetch at a time.
    setupInputs: new GitSetupInputs(options.remote, join(root, 'git-cache')),
  });
  const host = new DriverSandboxHost({
    name: options.hostName,
    driver,
    snapshots,
    remote: options.remote,
    credentials: options.runCredentials ?? new StaticRunCredentials(options.credentials),
    artifactsDir,
    ...(options.onModelUsage ? { onModelUsage: options.onModelUsage } : {}),
    ...(options.modelGate ? { modelGate: options.modelGate } : {}),
  });
  return { host, snapshots, refusal: null, driver, artifactsDir };
}

function refusingRuntime(
  name: string,
  refusal: SandboxUnavailableError,
): Pick<SandboxRuntime, 'host' | 'snapshots'> {
  const refuse = async (): Promise<never> => {
    throw refusal;
  };
  return {
    host: {
      driverKind: 'local',
      name,
      boot: refuse,
      has: () => false,
      list: () => [],
      exec: refuse,
      pause: refuse,
      resume: refuse,
      // Nothing can exist on this host: destroying is trivially done.
      destroy: async () => undefined,
    },
    // Nothing is ever built here, so there is nothing to hear of.
    snapshots: { refresh: refuse, refreshAll: refuse, onBuiltOnDemand: () => undefined },
  };
}

/** What the egress proxy adds: the forge token for git over HTTP(S), the model key; where mcp-context is. */
export function egressCredentials(config: {
  forgeUrl: string;
  forgeToken?: string;
  /** `modelProviderConfig()`'s answer. */
  model?: EgressCredentials['model'] | null;
  /** mcp-context's MCP endpoint as this host reaches it. */
  mcpUrl?: string;
}): EgressCredentials {
  return {
    ...(config.forgeToken && /^https?:\/\//.test(config.forgeUrl)
      ? { git: { upstream: config.forgeUrl, token: config.forgeToken } }
      : {}),
    ...(config.model ? { model: config.model } : {}),
    ...(config.mcpUrl ? { mcp: { url: config.mcpUrl } } : {}),
  };
}

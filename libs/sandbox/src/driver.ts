import type { Readable, Writable } from 'node:stream';
import type { SandboxFlavour, SandboxResources } from '@horizon/contracts';
import type {
  EgressCredentials,
  EgressStats,
  FlavourPolicy,
  ModelGate,
  PreviewRoute,
  RunScope,
} from './egress/policy';
import type { ModelRequestUsage } from './egress/proxy';

/**
 * Variables every sandbox process gets from either driver, before the run's own. npm's update
 * check downloads the registry's whole `npm` document (3 MB) through the proxy on every command
 * in a fresh HOME, about 0.4 s each, to print advice nobody reads.
 */
export const SANDBOX_TOOL_ENV: Readonly<Record<string, string>> = { NPM_CONFIG_UPDATE_NOTIFIER: 'false' };

/**
 * The sandbox driver interface (DESIGN §6). Drivers: `local` (bubblewrap on this host),
 * later `kubernetes` (see docs/kubernetes.md). sandbox-manager only ever talks to this.
 */
export interface SandboxDriver {
  readonly kind: SandboxDriverKind;
  create(spec: SandboxSpec): Promise<SandboxHandle>;
  exec(handle: SandboxHandle, command: readonly string[], options?: ExecOptions): Promise<SandboxProcess>;
  /**
   * The host command line that runs `command` inside the running sandbox exactly as `exec` does,
   * for a host program that must spawn it itself (Playwright hands Chromium its debugging pipes
   * as fds 3 and 4, which pass through). Spawn it with `env` only, its own process group, cwd `/`.
   */
  commandLine(handle: SandboxHandle, command: readonly string[], options?: ExecOptions): SandboxCommandLine;
  /**
   * A host Unix socket reaching `127.0.0.1:<port>` inside the sandbox (its preview server), for
   * another sandbox's egress proxy (`SandboxEgressSpec.preview`). One per port: asking again
   * returns the same; closed by `close()` or with the sandbox.
   */
  exposePort(handle: SandboxHandle, port: number): Promise<ExposedPort>;
  /** Freezes every process of the sandbox; nothing in it runs until `resume`. */
  pause(handle: SandboxHandle): Promise<void>;
  resume(handle: SandboxHandle): Promise<void>;
  /** Captures the sandbox's current workspace as a new read-only snapshot directory. */
  snapshot(handle: SandboxHandle, targetDir: string): Promise<void>;
  /** Kills everything and removes every trace but the artifacts written outside the sandbox. */
  destroy(handle: SandboxHandle): Promise<void>;
  status(handle: SandboxHandle): Promise<SandboxStatus>;
}

export type SandboxDriverKind = 'local' | 'kubernetes';

export interface SandboxSpec {
  /** Becomes part of host paths and cgroup names: letters, digits, `.`, `_`, `-`. */
  id: string;
  flavour: SandboxFlavour;
  /** Prebuilt, read-only snapshot of the repository: the lower layer of the workspace. */
  snapshotDir: string;
  resources: SandboxResources;
  /** The whole environment of every process inside (nothing leaks from the host's). */
  env: Record<string, string>;
  /** `null`: the sandbox has no way out at all (the `verify` flavour). */
  egress: SandboxEgressSpec | null;
}

export interface SandboxEgressSpec {
  policy: FlavourPolicy;
  run: RunScope;
  /** Held by the proxy outside the sandbox; never passed inside. */
  credentials: EgressCredentials;
  /** JSON-lines request log; an artifact, so it lives outside the sandbox and survives destroy. */
  logFile: string;
  /** Told the provider-reported usage of each model request (see `EgressProxyOptions`). */
  onModelUsage?: (usage: ModelRequestUsage) => void;
  /** Asked before each model request goes upstream (see `EgressProxyOptions`). */
  modelGate?: ModelGate;
  /** Another sandbox's exposed port, reached as `http://<host>/` (see `EgressProxyOptions`). */
  preview?: PreviewRoute;
}

export interface SandboxHandle {
  readonly id: string;
  readonly flavour: SandboxFlavour;
  /** Host path of the merged workspace (for exporting artifacts before destroy). */
  readonly workspaceHostPath: string;
  /** Path of the workspace inside the sandbox. */
  readonly workspacePath: string;
  /** `http://127.0.0.1:<port>` inside the sandbox, or null when it has no egress. */
  readonly proxyUrl: string | null;
}

export interface ExecOptions {
  /** Inside path; defaults to the workspace. */
  cwd?: string;
  /** Added to the sandbox's environment for this process only. */
  env?: Record<string, string>;
}

export interface SandboxCommandLine {
  argv: string[];
  /** The whole environment to spawn `argv` with: it becomes the environment inside. */
  env: Record<string, string>;
}

export interface ExposedPort {
  /** Host path of the socket; connecting to it connects to the port inside. */
  socketPath: string;
  close(): Promise<void>;
}

export interface SandboxProcess {
  readonly stdin: Writable;
  readonly stdout: Readable;
  readonly stderr: Readable;
  readonly exit: Promise<ExecExit>;
  /** Kills the process and everything it started. */
  kill(): void;
}

export interface ExecExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The sandbox's memory limit killed a process while this one ran. */
  outOfMemory: boolean;
}

export type SandboxState = 'running' | 'paused' | 'destroyed';

export interface SandboxStatus {
  id: string;
  state: SandboxState;
  /** Times the kernel's OOM killer fired inside the sandbox's memory limit. */
  oomKills: number;
  memoryBytes: number;
  processes: number;
  egress: EgressStats | null;
}

/** Refusal to run when the host lacks an isolation primitive: never a silent unisolated run. */
export class SandboxUnavailableError extends Error {
  override readonly name = 'SandboxUnavailableError';
  constructor(
    readonly primitive: string,
    detail: string,
  ) {
    super(`${primitive}: ${detail}`);
  }
}

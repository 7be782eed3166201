import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import {
  checkoutRunBranch,
  defaultFlavourPolicies,
  withRepoExtras,
  type EgressCredentials,
  type ExecOptions,
  type ModelGate,
  type ModelRequestUsage,
  type SandboxDriver,
  type SandboxHandle,
  type SandboxProcess,
} from '@horizon/sandbox';
import type { RunModelUsage } from '../application/model-usage';
import type { BootedSandbox, BootRequest, RepositoryRemote, SandboxHost } from '../application/ports';
import type { SnapshotService } from '../application/snapshot.service';
import type { RunCredentials } from './run-credentials';

export interface DriverSandboxHostOptions {
  name: string;
  driver: SandboxDriver;
  snapshots: SnapshotService;
  remote: RepositoryRemote;
  /** Held by the egress proxy, outside every sandbox: got per run at boot, released at destroy. */
  credentials: RunCredentials;
  /** Run artifacts (the egress request log) go to `<artifactsDir>/<sandbox id>/`, and survive destroy. */
  artifactsDir: string;
  /** Told each model request of a run as its egress proxy counted it. */
  onModelUsage?: (usage: RunModelUsage) => void;
  /** The gate each model request of a run passes (its budget), by run id. */
  modelGate?: (runId: string) => ModelGate;
}

/**
 * Boots sandboxes the way a run needs them — newest snapshot, the flavour's egress policy
 * widened by the repository's config, the run's credentials in its proxy, the workspace moved
 * to the run's branch — and keeps their handles by id for the commands that follow.
 */
export class DriverSandboxHost implements SandboxHost {
  private readonly handles = new Map<string, SandboxHandle>();
  /** Runs whose credentials are released when their sandbox is destroyed. */
  private readonly runs = new Map<string, string>();

  constructor(private readonly options: DriverSandboxHostOptions) {}

  get driverKind() {
    return this.options.driver.kind;
  }

  get name() {
    return this.options.name;
  }

  async boot(request: BootRequest): Promise<BootedSandbox> {
    const { driver, snapshots, remote } = this.options;
    const startedAt = Date.now();
    const basePolicy = defaultFlavourPolicies[request.flavour];
    const target = await remote.resolve(request.repo, request.baseRef);
    if (!target) throw new Error(`${request.baseRef} does not exist in ${request.repo}`);
    // A review reads the same tree an implement run works on: it shares that snapshot series
    // rather than running the repository's setup once more for a series of its own.
    const series = request.flavour === 'review' ? 'implement' : request.flavour;
    // Without git through its proxy the workspace cannot fetch: it must boot from a snapshot at the target.
    const waitedAt = Date.now();
    const snapshot =
      basePolicy.git === 'none'
        ? await snapshots.at(request.repo, series, target)
        : await snapshots.newest(request.repo, series);
    // Timed apart from the rest: a build (the repository's setup) is slow for other reasons than a boot.
    const snapshotMs = Date.now() - waitedAt;
    const policy = withRepoExtras(
      withRepoExtras(basePolicy, snapshot.config.egress.allow),
      request.extraAllow ?? [],
    );
    const [owner, name] = request.repo.split('/') as [string, string];
    const artifacts = join(this.options.artifactsDir, request.sandboxId);
    await mkdir(artifacts, { recursive: true, mode: 0o700 });
    // Only a sandbox with a credentialed route holds the run's credentials (a verify sandbox has none).
    const credentialed = policy.network === 'proxy' && (policy.git !== 'none' || policy.model || policy.mcp);
    const credentials = credentialed
      ? await this.options.credentials.acquire({ runId: request.runId, repo: request.repo })
      : {};
    let handle: SandboxHandle;
    try {
      handle = await driver.create({
        id: request.sandboxId,
        flavour: request.flavour,
        snapshotDir: snapshot.dir,
        resources: request.resources,
        env: {
          ...(request.runId ? { HORIZON_RUN_ID: request.runId } : {}),
          HORIZON_RUN_BRANCH: request.branch,
          ...request.env,
        },
        egress:
          policy.network === 'proxy'
            ? {
                policy,
                run: { repo: { owner, name }, branch: request.branch },
                credentials,
                logFile: join(artifacts, 'egress.jsonl'),
                ...(request.runId && this.options.onModelUsage
                  ? { onModelUsage: this.usageOf(request.runId, request.sandboxId, credentials) }
                  : {}),
                ...(request.runId && this.options.modelGate
                  ? { modelGate: this.options.modelGate(request.runId) }
                  : {}),
              }
            : null,
      });
    } catch (error) {
      if (request.runId) await this.options.credentials.release(request.runId);
      throw error;
    }
    this.handles.set(request.sandboxId, handle);
    if (request.runId) this.runs.set(request.sandboxId, request.runId);
    try {
      await checkoutRunBranch(driver, handle, {
        snapshotCommit: snapshot.commit,
        // The snapshot's own commit needs no fetch; anything newer comes through the proxy.
        baseRef: target === snapshot.commit ? snapshot.commit : request.baseRef,
        branch: request.branch,
      });
    } catch (error) {
      await this.destroy(request.sandboxId);
      throw error;
    }
    return {
      handle,
      snapshotRef: `${request.repo}/${request.flavour}/${snapshot.id}`,
      commit: target,
      timings: { snapshotMs, bootMs: Date.now() - startedAt - snapshotMs },
    };
  }

  has(id: string): boolean {
    return this.handles.has(id);
  }

  list(): string[] {
    return [...this.handles.keys()];
  }

  exec(id: string, command: readonly string[], options?: ExecOptions): Promise<SandboxProcess> {
    return this.options.driver.exec(this.handle(id), command, options);
  }

  pause(id: string): Promise<void> {
    return this.options.driver.pause(this.handle(id));
  }

  resume(id: string): Promise<void> {
    return this.options.driver.resume(this.handle(id));
  }

  async destroy(id: string): Promise<void> {
    const handle = this.handles.get(id);
    if (!handle) return;
    await this.options.driver.destroy(handle);
    this.handles.delete(id);
    const runId = this.runs.get(id);
    this.runs.delete(id);
    if (runId) await this.options.credentials.release(runId);
  }

  private usageOf(runId: string, sandboxId: string, credentials: EgressCredentials) {
    const provider = credentials.model?.provider ?? 'openai-compatible';
    return (usage: ModelRequestUsage) => this.options.onModelUsage!({ ...usage, runId, sandboxId, provider });
  }

  private handle(id: string): SandboxHandle {
    const handle = this.handles.get(id);
    if (!handle) throw new Error(`sandbox ${id} does not exist on ${this.name}`);
    return handle;
  }
}

import { PassThrough } from 'node:stream';
// The official client ships ES modules only: its types are imported as such, its code at open().
import type { CoreV1Api, Exec, KubeConfig, V1Pod, V1Status } from '@kubernetes/client-node' with {
  'resolution-mode': 'import',
};
import type { ExecExit, SandboxProcess, SandboxState } from '../driver';

/** What the pod says about a sandbox: its state and how often its memory limit killed it. */
export interface SandboxPodStatus {
  state: SandboxState | 'starting' | 'failed';
  /** `reason` of a failed pod (`DeadlineExceeded` past `activeDeadlineSeconds`), else null. */
  reason: string | null;
  oomKills: number;
}

/**
 * The Kubernetes API calls of the sandbox driver (docs/kubernetes.md), through the official
 * client: create a sandbox's pod and wait until it runs, run a command in it (pods/exec), read
 * its state, delete it. Pause and resume, snapshots and the proxy pods come next (docs/kubernetes.md).
 */
export class KubernetesSandboxPods {
  private constructor(
    private readonly api: CoreV1Api,
    private readonly exec: Exec,
    private readonly namespace: string,
  ) {}

  static async open(kubeConfig: KubeConfig, namespace: string): Promise<KubernetesSandboxPods> {
    const { CoreV1Api, Exec } = await import('@kubernetes/client-node');
    return new KubernetesSandboxPods(kubeConfig.makeApiClient(CoreV1Api), new Exec(kubeConfig), namespace);
  }

  /**
   * Runs a command in the pod's workspace container through the exec subresource; its exit code
   * comes from the Status the API sends at the end. `kill()` closes the stream, which ends the
   * command on the node's side.
   */
  async run(name: string, command: readonly string[], container = 'workspace'): Promise<SandboxProcess> {
    const stdin = new PassThrough();
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let ended: V1Status | undefined;
    const socket = await this.exec
      .exec(this.namespace, name, container, [...command], stdout, stderr, stdin, false, (s) => (ended = s))
      .catch((err: unknown) => {
        throw new Error(`exec in sandbox pod ${this.namespace}/${name}: ${apiError(err)}`);
      });
    const exit = new Promise<ExecExit>((resolve) => {
      socket.on('close', () => {
        stdout.end();
        stderr.end();
        resolve({ code: exitCodeOf(ended), signal: ended ? null : 'SIGKILL', outOfMemory: false });
      });
    });
    return { stdin, stdout, stderr, exit, kill: () => socket.close() };
  }

  /** Creates the pod and resolves once it runs; a pod that fails first or takes too long is deleted. */
  async create(pod: V1Pod, timeoutMs = 120_000): Promise<V1Pod> {
    const name = pod.metadata!.name!;
    await this.api.createNamespacedPod({ namespace: this.namespace, body: pod }).catch((err: unknown) => {
      throw new Error(`creating sandbox pod ${this.namespace}/${name}: ${apiError(err)}`);
    });
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const current = await this.api.readNamespacedPod({ namespace: this.namespace, name });
      const phase = current.status?.phase;
      if (phase === 'Running') return current;
      if (phase === 'Failed' || phase === 'Succeeded' || Date.now() > deadline) {
        await this.delete(name);
        throw new Error(
          `sandbox pod ${this.namespace}/${name} did not start: ${phase === 'Pending' ? `still pending after ${timeoutMs} ms` : `${phase} (${current.status?.reason ?? 'no reason given'})`}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  async status(name: string): Promise<SandboxPodStatus> {
    const pod = await this.api
      .readNamespacedPod({ namespace: this.namespace, name })
      .catch((err: unknown) => {
        if (statusCode(err) === 404) return null;
        throw new Error(`reading sandbox pod ${this.namespace}/${name}: ${apiError(err)}`);
      });
    if (!pod) return { state: 'destroyed', reason: null, oomKills: 0 };
    const containers = pod.status?.containerStatuses ?? [];
    const oomKills = containers.filter(
      (c) => c.state?.terminated?.reason === 'OOMKilled' || c.lastState?.terminated?.reason === 'OOMKilled',
    ).length;
    const phase = pod.status?.phase;
    const state = phase === 'Running' ? 'running' : phase === 'Pending' ? 'starting' : 'failed';
    return { state, reason: pod.status?.reason ?? null, oomKills };
  }

  /** Deletes the pod at once (no grace: nothing in a sandbox needs to shut down cleanly); gone already is fine. */
  async delete(name: string): Promise<void> {
    await this.api
      .deleteNamespacedPod({ namespace: this.namespace, name, gracePeriodSeconds: 0 })
      .catch((err: unknown) => {
        if (statusCode(err) !== 404)
          throw new Error(`deleting sandbox pod ${this.namespace}/${name}: ${apiError(err)}`);
      });
  }
}

/** The exit code a finished exec's Status carries: 0 on Success, else its ExitCode cause; null if none came. */
function exitCodeOf(status: V1Status | undefined): number | null {
  if (!status) return null;
  if (status.status === 'Success') return 0;
  const cause = status.details?.causes?.find((c) => c.reason === 'ExitCode');
  return cause?.message !== undefined ? Number(cause.message) : null;
}

/** The client's ApiException carries the HTTP code and the API's Status body. */
function statusCode(err: unknown): number | undefined {
  return (err as { code?: number }).code;
}

/** The API's own message (its `Status` body) with the HTTP code, else the client's error. */
function apiError(err: unknown): string {
  let body = (err as { body?: unknown }).body;
  if (typeof body === 'string') {
    try {
      body = JSON.parse(body);
    } catch {
      // not a Status: the client's message says more
    }
  }
  const message = (body as { message?: string } | undefined)?.message;
  return `${statusCode(err) ?? ''} ${message ?? (err as Error).message}`.trim();
}

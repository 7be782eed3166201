import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

/** A Kubernetes API stand-in in its own process (api-server.mjs says what it checks and plays). */
export interface KubernetesStandin {
  /** The API server's address, for a kubeconfig's `clusters[].server`. */
  url: string;
  /** Makes the OOM killer end the pod's first container. */
  oomKill(namespace: string, name: string): Promise<void>;
  output(): string;
  stop(): Promise<void>;
}

export interface KubernetesStandinOptions {
  /** Namespaces that enforce Pod Security "restricted". */
  restrictedNamespaces?: string[];
  /** How long a pod stays Pending (default 100 ms). */
  startMs?: number;
}

export async function startKubernetesStandin(
  options: KubernetesStandinOptions = {},
): Promise<KubernetesStandin> {
  const child: ChildProcess = spawn(process.execPath, [path.join(__dirname, 'api-server.mjs')], {
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      KUBE_RESTRICTED_NAMESPACES: (options.restrictedNamespaces ?? []).join(','),
      KUBE_START_MS: String(options.startMs ?? 100),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    let line = '';
    child.stdout!.on('data', (c: Buffer) => {
      line += c.toString();
      const end = line.indexOf('\n');
      if (end >= 0) resolve((JSON.parse(line.slice(0, end)) as { url: string }).url);
    });
    child.once('exit', (code) =>
      reject(new Error(`the Kubernetes API stand-in exited (${code}):\n${output}`)),
    );
  });
  return {
    url,
    async oomKill(namespace, name) {
      const res = await fetch(`${url}/standin/oom/${namespace}/${name}`, { method: 'POST' });
      if (!res.ok) throw new Error(`the Kubernetes API stand-in answered ${res.status}`);
    },
    output: () => output,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

import type { KubeConfig } from '@kubernetes/client-node' with { 'resolution-mode': 'import' };
import { startKubernetesStandin, type KubernetesStandin } from '@horizon/testing';
import type { SandboxSpec } from '../src/driver';
import { SANDBOX_LABELS, sandboxPod } from '../src/kubernetes/sandbox-pod';
import { KubernetesSandboxPods } from '../src/kubernetes/sandbox-pods';

// The first calls of the Kubernetes sandbox driver (docs/kubernetes.md), through the official
// client, against a stand-in API server that validates each pod against the Kubernetes schema
// and enforces Pod Security "restricted" in the sandboxes' namespace, as the deployment does.
const NAMESPACE = 'horizon-sandboxes';

const spec = (id: string, egress = true): SandboxSpec => ({
  id,
  flavour: 'implement',
  snapshotDir: '/unused/on/kubernetes',
  resources: { memoryMiB: 2048, cpuMillis: 1500, maxProcesses: 512 },
  env: { HOME: '/workspace', RUN_ID: id },
  egress: egress
    ? ({ policy: {}, run: {}, credentials: {}, logFile: '/dev/null' } as unknown as SandboxSpec['egress'])
    : null,
});

const options = (deadlineSeconds = 3600) => ({
  namespace: NAMESPACE,
  image: 'ghcr.io/example/toolchain:1',
  snapshotClaim: 'snapshot-acme-cart-abc123',
  deadlineSeconds,
  proxyUrl: 'http://egress-proxy.horizon-sandboxes.svc:3128',
});

async function kubeConfig(server: string): Promise<KubeConfig> {
  const { KubeConfig } = await import('@kubernetes/client-node');
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'standin', server, skipTLSVerify: true }],
    users: [{ name: 'sandbox-manager', token: 'a-service-account-token' }],
    contexts: [{ name: 'standin', cluster: 'standin', user: 'sandbox-manager', namespace: NAMESPACE }],
    currentContext: 'standin',
  });
  return kc;
}

describe('Kubernetes sandbox pods (official client, API stand-in)', () => {
  let api: KubernetesStandin;
  let pods: KubernetesSandboxPods;

  beforeAll(async () => {
    api = await startKubernetesStandin({ restrictedNamespaces: [NAMESPACE], startMs: 150 });
    pods = await KubernetesSandboxPods.open(await kubeConfig(api.url), NAMESPACE);
  });
  afterAll(() => api?.stop());

  it('runs a sandbox as a hardened pod the restricted namespace admits, reads its state and deletes it', async () => {
    const pod = sandboxPod(spec('Run-1a'), options());
    const created = await pods.create(pod);
    expect(created.status?.phase).toBe('Running');
    expect(created.metadata?.labels).toEqual({
      [SANDBOX_LABELS.role]: 'sandbox',
      [SANDBOX_LABELS.sandbox]: 'Run-1a',
      [SANDBOX_LABELS.flavour]: 'implement',
    });
    const [container] = created.spec!.containers;
    expect(container!.resources).toEqual({
      requests: { memory: '2048Mi', cpu: '1500m' },
      limits: { memory: '2048Mi', cpu: '1500m' },
    });
    expect(container!.env).toEqual(
      expect.arrayContaining([
        { name: 'RUN_ID', value: 'Run-1a' },
        { name: 'HTTPS_PROXY', value: 'http://egress-proxy.horizon-sandboxes.svc:3128' },
      ]),
    );
    expect(await pods.status('sandbox-run-1a')).toEqual({ state: 'running', reason: null, oomKills: 0 });

    await pods.delete('sandbox-run-1a');
    expect((await pods.status('sandbox-run-1a')).state).toBe('destroyed');
    await expect(pods.delete('sandbox-run-1a')).resolves.toBeUndefined();
  });

  it('runs commands in the sandbox through pods/exec: streams both ways, the exit code from the Status', async () => {
    await pods.create(sandboxPod(spec('exec-1'), options()));
    const process = await pods.run('sandbox-exec-1', ['sh', '-c', 'echo out; echo err >&2; cat; exit 3']);
    const read = (stream: NodeJS.ReadableStream) =>
      new Promise<string>((resolve) => {
        let text = '';
        stream.on('data', (c: Buffer) => (text += c.toString()));
        stream.on('end', () => resolve(text));
      });
    const [stdout, stderr] = [read(process.stdout), read(process.stderr)];
    process.stdin.end('from stdin\n');
    expect(await process.exit).toEqual({ code: 3, signal: null, outOfMemory: false });
    expect(await stdout).toBe('out\nfrom stdin\n');
    expect(await stderr).toBe('err\n');
    const ok = await pods.run('sandbox-exec-1', ['sh', '-c', 'echo "$RUN_ID"']);
    const said = read(ok.stdout);
    ok.stdin.end();
    expect(await ok.exit).toMatchObject({ code: 0 });
    expect(await said).toBe('exec-1\n');
    await expect(pods.run('sandbox-gone', ['true'])).rejects.toThrow(
      /exec in sandbox pod horizon-sandboxes\/sandbox-gone/,
    );
  });

  it('gives a sandbox without egress no proxy settings', () => {
    const env = sandboxPod(spec('verify-1', false), options()).spec!.containers[0]!.env!;
    expect(env.map((e) => e.name).sort()).toEqual(['HOME', 'NPM_CONFIG_UPDATE_NOTIFIER', 'RUN_ID']);
  });

  it('reports the memory limit killing the sandbox, and the deadline ending it', async () => {
    await pods.create(sandboxPod(spec('oom-1'), options()));
    await api.oomKill(NAMESPACE, 'sandbox-oom-1');
    expect(await pods.status('sandbox-oom-1')).toEqual({ state: 'failed', reason: null, oomKills: 1 });

    await pods.create(sandboxPod(spec('late-1'), options(1)));
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(await pods.status('sandbox-late-1')).toEqual({
      state: 'failed',
      reason: 'DeadlineExceeded',
      oomKills: 0,
    });
  });

  it('is refused what the API server refuses, with its reason: a weaker pod, an invalid one, a name taken', async () => {
    const weak = sandboxPod(spec('weak-1'), options());
    delete weak.spec!.containers[0]!.securityContext!.allowPrivilegeEscalation;
    await expect(pods.create(weak)).rejects.toThrow(
      /403 pods "sandbox-weak-1" is forbidden: violates PodSecurity "restricted:latest": allowPrivilegeEscalation != false/,
    );
    const invalid = sandboxPod(spec('invalid-1'), options());
    (invalid.spec as { activeDeadlineSeconds: unknown }).activeDeadlineSeconds = 'an hour';
    await expect(pods.create(invalid)).rejects.toThrow(
      /422 Pod "sandbox-invalid-1" is invalid: .*activeDeadlineSeconds/,
    );
    await pods.create(sandboxPod(spec('twice'), options()));
    await expect(pods.create(sandboxPod(spec('twice'), options()))).rejects.toThrow(
      /409 pods "sandbox-twice" already exists/,
    );
  });
});

// The same calls against a real cluster: KUBECONFIG, a namespace enforcing "restricted" with the
// deployment's RBAC (KUBE_TEST_NAMESPACE), a snapshot claim in it (KUBE_TEST_SNAPSHOT_CLAIM) and
// an image with `sleep` (KUBE_TEST_IMAGE).
const cluster = ['KUBECONFIG', 'KUBE_TEST_NAMESPACE', 'KUBE_TEST_SNAPSHOT_CLAIM', 'KUBE_TEST_IMAGE'];
const missing = cluster.filter((name) => !process.env[name]);
(missing.length ? describe.skip : describe)(
  `Kubernetes sandbox pods on a real cluster${missing.length ? ` (skipped: ${missing.join(', ')} not set)` : ''}`,
  () => {
    it('runs a sandbox pod, reads it and deletes it', async () => {
      const { KubeConfig } = await import('@kubernetes/client-node');
      const kc = new KubeConfig();
      kc.loadFromDefault();
      const namespace = process.env.KUBE_TEST_NAMESPACE!;
      const real = await KubernetesSandboxPods.open(kc, namespace);
      const id = `test-${Date.now().toString(36)}`;
      const pod = sandboxPod(spec(id), {
        ...options(600),
        namespace,
        image: process.env.KUBE_TEST_IMAGE!,
        snapshotClaim: process.env.KUBE_TEST_SNAPSHOT_CLAIM!,
      });
      try {
        await real.create(pod, 25_000);
        expect((await real.status(pod.metadata!.name!)).state).toBe('running');
      } finally {
        await real.delete(pod.metadata!.name!);
      }
    }, 30_000);
  },
);

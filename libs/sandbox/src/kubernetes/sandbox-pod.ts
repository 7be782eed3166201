import type { V1Pod } from '@kubernetes/client-node' with { 'resolution-mode': 'import' };
import { SANDBOX_TOOL_ENV, type SandboxSpec } from '../driver';

/** The labels sandbox pods carry: `horizon.dev/role: sandbox` is what the deployed NetworkPolicy selects. */
export const SANDBOX_LABELS = {
  role: 'horizon.dev/role',
  sandbox: 'horizon.dev/sandbox',
  flavour: 'horizon.dev/flavour',
} as const;

export interface SandboxPodOptions {
  namespace: string;
  /** The workspace image (the repository's toolchain); the run's code comes from the snapshot. */
  image: string;
  /** The snapshot's read-only volume: a PersistentVolumeClaim cloned from its VolumeSnapshot. */
  snapshotClaim: string;
  /** The kubelet kills the pod past this, so a run whose manager vanished is still reaped. */
  deadlineSeconds: number;
  /** The egress proxy as the sandbox reaches it (`http://<proxy>:3128`); unused without egress. */
  proxyUrl: string;
}

const WORKSPACE = '/workspace';

/**
 * One sandbox as a pod (docs/kubernetes.md): the hardened security context Pod Security
 * "restricted" demands (non-root uid 1000, no privilege escalation, no capabilities, read-only
 * root, RuntimeDefault seccomp), no service-account token, the spec's resources as limits, the
 * snapshot mounted read-only under a writable workspace, and the proxy as its only way out
 * (the NetworkPolicy enforces it; `HTTP(S)_PROXY` tells tools). No egress: no proxy settings.
 */
export function sandboxPod(spec: SandboxSpec, options: SandboxPodOptions): V1Pod {
  const proxy = spec.egress
    ? { HTTP_PROXY: options.proxyUrl, HTTPS_PROXY: options.proxyUrl, NO_PROXY: 'localhost,127.0.0.1' }
    : {};
  const env = { ...SANDBOX_TOOL_ENV, ...spec.env, ...proxy };
  const limits = { memory: `${spec.resources.memoryMiB}Mi`, cpu: `${spec.resources.cpuMillis}m` };
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `sandbox-${spec.id}`.toLowerCase(),
      namespace: options.namespace,
      labels: {
        [SANDBOX_LABELS.role]: 'sandbox',
        [SANDBOX_LABELS.sandbox]: spec.id,
        [SANDBOX_LABELS.flavour]: spec.flavour,
      },
    },
    spec: {
      restartPolicy: 'Never',
      activeDeadlineSeconds: options.deadlineSeconds,
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      securityContext: {
        runAsNonRoot: true,
        runAsUser: 1000,
        runAsGroup: 1000,
        fsGroup: 1000,
        seccompProfile: { type: 'RuntimeDefault' },
      },
      containers: [
        {
          name: 'workspace',
          image: options.image,
          // The sandbox idles until sandbox-manager execs into it (pods/exec), as bwrap's init does.
          command: ['sleep', 'infinity'],
          workingDir: WORKSPACE,
          env: Object.entries(env).map(([name, value]) => ({ name, value })),
          resources: { requests: limits, limits },
          securityContext: {
            runAsNonRoot: true,
            allowPrivilegeEscalation: false,
            readOnlyRootFilesystem: true,
            capabilities: { drop: ['ALL'] },
          },
          volumeMounts: [
            { name: 'snapshot', mountPath: '/snapshot', readOnly: true },
            { name: 'workspace', mountPath: WORKSPACE },
            { name: 'tmp', mountPath: '/tmp' },
          ],
        },
      ],
      volumes: [
        { name: 'snapshot', persistentVolumeClaim: { claimName: options.snapshotClaim, readOnly: true } },
        { name: 'workspace', emptyDir: { sizeLimit: '10Gi' } },
        { name: 'tmp', emptyDir: { medium: 'Memory', sizeLimit: '256Mi' } },
      ],
    },
  };
}

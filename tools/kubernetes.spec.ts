// deploy/kubernetes rendered as an operator would (`kubectl kustomize`, from Debian's
// kubernetes-client, which the bootstrap installs), every resource validated against the
// Kubernetes schemas (kubernetes-models), and the properties the deployment promises checked on
// what is rendered: probes, resources, disruption budgets, least RBAC, sandbox isolation,
// secrets referenced and never inlined, replicated services and streams in production.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';

const ROOT = path.resolve(__dirname, '..');
const KUSTOMIZE = path.join(ROOT, 'deploy', 'kubernetes');
const kubectl = spawnSync('sh', ['-c', 'command -v kubectl'], { encoding: 'utf8' }).stdout.trim();
if (!kubectl && process.env.CI === 'true')
  throw new Error(
    'kubectl is missing: CI must render the manifests (npm run bootstrap installs kubernetes-client)',
  );

interface Resource {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  spec?: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  data?: Record<string, string>;
  [key: string]: unknown;
}

/** The overlay as `kubectl kustomize` prints it (its deprecation warnings for `bases` left out). */
function render(overlay: string): { text: string; resources: Resource[] } {
  const text = execFileSync(kubectl, ['kustomize', path.join(KUSTOMIZE, 'overlays', overlay)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return { text, resources: parseAllDocuments(text).map((d) => d.toJSON() as Resource) };
}

// The services `npm start` runs (tools/lib/services.mjs), loaded before the tests.
let services: { name: string; portVar: string; port: number }[] = [];
beforeAll(async () => {
  ({ SERVICES: services } = await import('./lib/services.mjs'));
  if (services.length < 8) throw new Error(`tools/lib/services.mjs lists ${services.length} services`);
});

const byKind = (resources: Resource[], kind: string) => resources.filter((r) => r.kind === kind);
const named = (resources: Resource[], kind: string, name: string) =>
  resources.find((r) => r.kind === kind && r.metadata.name === name);

(kubectl ? describe : describe.skip)(
  `deploy/kubernetes (kubectl kustomize${kubectl ? '' : ': kubectl missing, skipped'})`,
  () => {
    const rendered = { dev: render('dev'), production: render('production') };
    const overlays = { dev: rendered.dev.resources, production: rendered.production.resources };

    it.each(Object.keys(overlays))(
      '%s: every rendered resource is valid against the Kubernetes schemas',
      (overlay) => {
        const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hzn-k8s-')), `${overlay}.yaml`);
        fs.writeFileSync(
          file,
          execFileSync(kubectl, ['kustomize', path.join(KUSTOMIZE, 'overlays', overlay)]),
        );
        const result = JSON.parse(
          execFileSync(process.execPath, [path.join(ROOT, 'tools/lib/kubernetes-validate.mjs'), file], {
            encoding: 'utf8',
          }),
        ) as { count: number; errors: unknown[] };
        fs.rmSync(path.dirname(file), { recursive: true });
        expect(result.errors).toEqual([]);
        expect(result.count).toBe(overlays[overlay as keyof typeof overlays].length);
      },
    );

    it.each(Object.keys(overlays))(
      '%s: each service runs with probes on /readyz and /healthz, resources, its own account and a disruption budget',
      (overlay) => {
        const resources = overlays[overlay as keyof typeof overlays];
        for (const service of services) {
          const deployment = named(resources, 'Deployment', service.name);
          expect({ service: service.name, deployment: !!deployment }).toEqual({
            service: service.name,
            deployment: true,
          });
          const pod = deployment!.spec.template.spec;
          const [container] = pod.containers;
          expect(container.ports).toEqual([{ name: 'http', containerPort: service.port }]);
          expect(container.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'http' });
          expect(container.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
          expect(container.resources.requests).toEqual({
            cpu: expect.any(String),
            memory: expect.any(String),
          });
          expect(container.resources.limits).toEqual({ cpu: expect.any(String), memory: expect.any(String) });
          expect(container.env).toContainEqual({
            name: `${service.portVar.replace(/_PORT$/, '')}_HOST`,
            value: '0.0.0.0',
          });
          expect(pod.serviceAccountName).toBe(service.name);
          expect(named(resources, 'ServiceAccount', service.name)).toBeDefined();
          const pdb = byKind(resources, 'PodDisruptionBudget').find(
            (p) => p.spec.selector.matchLabels['app.kubernetes.io/name'] === service.name,
          );
          expect(pdb?.spec.maxUnavailable).toBe(1);
          if (service.name !== 'sandbox-manager')
            expect(container.securityContext).toMatchObject({
              runAsNonRoot: true,
              allowPrivilegeEscalation: false,
              readOnlyRootFilesystem: true,
              capabilities: { drop: ['ALL'] },
            });
        }
      },
    );

    it('references secrets and never inlines one', () => {
      for (const resources of Object.values(overlays)) {
        expect(byKind(resources, 'Secret')).toEqual([]);
        const config = byKind(resources, 'ConfigMap').flatMap((c) => Object.keys(c.data ?? {}));
        expect(config.filter((key) => /SECRET|TOKEN|PASSWORD|KEY|DATABASE_URL/.test(key))).toEqual([]);
        for (const deployment of [...byKind(resources, 'Deployment'), ...byKind(resources, 'Job')]) {
          const container = deployment.spec.template.spec.containers[0];
          expect(container.envFrom).toContainEqual({
            secretRef: { name: expect.stringMatching(/^horizon-/) },
          });
          const inlined = (container.env ?? []).filter((e: { name: string; value?: string }) =>
            /SECRET|TOKEN|PASSWORD|KEY$|DATABASE_URL/.test(e.name),
          );
          expect(inlined).toEqual([]);
        }
      }
    });

    it('gives only sandbox-manager a role, in the sandboxes namespace only, over pods and what running them needs', () => {
      const resources = overlays.production;
      expect([...byKind(resources, 'ClusterRole'), ...byKind(resources, 'ClusterRoleBinding')]).toEqual([]);
      const roles = byKind(resources, 'Role');
      expect(roles.map((r) => `${r.metadata.namespace}/${r.metadata.name}`)).toEqual([
        'horizon-sandboxes/sandbox-manager',
      ]);
      const rules = roles[0]!['rules'] as { apiGroups: string[]; resources: string[] }[];
      expect(rules.flatMap((r) => r.apiGroups)).toEqual(rules.map(() => ''));
      expect(rules.flatMap((r) => r.resources).sort()).toEqual([
        'events',
        'pods',
        'pods/exec',
        'pods/log',
        'secrets',
      ]);
      const bindings = byKind(resources, 'RoleBinding');
      expect(bindings.map((b) => b['subjects'])).toEqual([
        [{ kind: 'ServiceAccount', name: 'sandbox-manager', namespace: 'horizon' }],
      ]);
      const tokens = byKind(resources, 'Deployment').filter(
        (d) => d.spec.template.spec.automountServiceAccountToken,
      );
      expect(tokens.map((d) => d.metadata.name)).toEqual(['sandbox-manager']);
    });

    it('lets nothing reach a sandbox, and a sandbox reach only the egress proxy', () => {
      const resources = overlays.production;
      const namespace = named(resources, 'Namespace', 'horizon-sandboxes')!;
      expect(namespace.metadata.labels!['pod-security.kubernetes.io/enforce']).toBe('restricted');
      const policy = byKind(resources, 'NetworkPolicy').find(
        (p) =>
          p.metadata.namespace === 'horizon-sandboxes' &&
          p.spec.podSelector.matchLabels?.['horizon.dev/role'] === 'sandbox',
      )!;
      expect(policy.spec.policyTypes).toEqual(['Ingress', 'Egress']);
      expect(policy.spec.ingress ?? []).toEqual([]);
      expect(policy.spec.egress).toEqual([
        {
          to: [{ podSelector: { matchLabels: { 'horizon.dev/role': 'egress-proxy' } } }],
          ports: [{ protocol: 'TCP', port: 3128 }],
        },
      ]);
      const denyAll = named(resources, 'NetworkPolicy', 'default-deny-ingress')!;
      expect(denyAll.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress'] });
    });

    it('production replicates every stateless service and keeps each stream on three NATS servers', () => {
      for (const service of services) {
        const replicas = named(overlays.production, 'Deployment', service.name)!.spec.replicas;
        expect({ service: service.name, replicas }).toEqual({
          service: service.name,
          replicas: service.name === 'sandbox-manager' ? 1 : 2,
        });
        expect(named(overlays.dev, 'Deployment', service.name)!.spec.replicas).toBe(1);
      }
      const config = (resources: Resource[]) => byKind(resources, 'ConfigMap')[0]!.data!;
      expect(config(overlays.production)).toMatchObject({
        HZN_STREAM_REPLICAS: '3',
        NATS_URL: expect.stringMatching(/^nats:\/\//),
      });
      expect(config(overlays.dev).HZN_STREAM_REPLICAS).toBe('1');
      const nats = fs.readFileSync(path.join(KUSTOMIZE, 'nats', 'values.yaml'), 'utf8');
      const values = parseAllDocuments(nats)[0]!.toJSON() as {
        config: { cluster: object; jetstream: object };
      };
      expect(values.config.cluster).toEqual({ enabled: true, replicas: 3 });
      expect(values.config.jetstream).toMatchObject({ enabled: true, fileStore: { enabled: true } });
      // The services' NATS_URL names the Service the chart's release creates.
      expect(config(overlays.production).NATS_URL).toContain('nats.horizon-nats.svc');
      expect(nats).toMatch(/helm install nats nats\/nats --namespace horizon-nats/);
    });
  },
);

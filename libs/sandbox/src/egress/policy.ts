import type { ModelProvider, SandboxFlavour } from '@horizon/contracts';

/**
 * Egress policy as data: one `FlavourPolicy` per flavour, widened per repository by the hosts
 * its `.horizon/config.yaml` allows. The proxy only ever evaluates these; no flavour has a
 * code path of its own.
 */
export interface FlavourPolicy {
  flavour: SandboxFlavour;
  /** `none`: no proxy at all, the sandbox sees only loopback. */
  network: 'none' | 'proxy';
  allow: EgressRule[];
  /** Whether a repository's `egress.allow` (and an operator's `--allow`) widens `allow`. */
  repoExtras: boolean;
  git: 'none' | 'fetch' | 'push-own-branch';
  /** Whether the credentialed model route is open. */
  model: boolean;
  /** Whether the mcp-context route is open (the run's token travels in the agent's own request). */
  mcp: boolean;
  limits: EgressLimits;
}

export interface EgressRule {
  /** Exact host name, or `*.example.com` for any subdomain of it. */
  host: string;
  ports: number[];
  /** Plain-HTTP only (a CONNECT tunnel is opaque): allowed methods; absent means any. */
  methods?: string[];
  /** Plain-HTTP only: allowed path prefixes; absent means any. */
  pathPrefixes?: string[];
}

export interface EgressLimits {
  maxRequests: number;
  maxBytes: number;
}

/** What a run may touch on the forge: its own repository, and for pushes its own branch. */
export interface RunScope {
  repo: { owner: string; name: string };
  branch: string;
}

export interface EgressCredentials {
  /** `upstream` is the forge's base URL (`https://github.com`); the token goes out as Basic auth. */
  git?: { upstream: string; token: string };
  /**
   * `baseUrl` is the provider's API base (`https://api.openai.com/v1`); the key goes out as the
   * provider expects it (`model-route.ts`): `provider` defaults to `openai-compatible`.
   */
  model?: { provider?: ModelProvider; baseUrl: string; apiKey: string };
  /**
   * `url` is mcp-context's MCP endpoint as the host reaches it. Nothing is added: the agent sends
   * its run token itself, and mcp-context checks it on every call.
   */
  mcp?: { url: string };
}

/**
 * Another sandbox's web server as a verify sandbox reaches it: `host` is the name the browser
 * inside asks for (plain HTTP, port 80), `socketPath` the host socket `SandboxDriver.exposePort`
 * made for it.
 */
export interface PreviewRoute {
  host: string;
  socketPath: string;
}

export interface EgressStats {
  requests: number;
  bytes: number;
  refused: number;
}

export type Decision = { allowed: true } | { allowed: false; reason: string };

const allowed: Decision = { allowed: true };
const refuse = (reason: string): Decision => ({ allowed: false, reason });

const packageRegistries: EgressRule[] = [
  'registry.npmjs.org',
  'registry.yarnpkg.com',
  'pypi.org',
  'files.pythonhosted.org',
  'proxy.golang.org',
  'sum.golang.org',
  'index.crates.io',
  'static.crates.io',
].map((host) => ({ host, ports: [443] }));

const defaultLimits: EgressLimits = { maxRequests: 20_000, maxBytes: 4 * 1024 ** 3 };

export const defaultFlavourPolicies: Readonly<Record<SandboxFlavour, FlavourPolicy>> = {
  plan: {
    flavour: 'plan',
    network: 'proxy',
    allow: packageRegistries,
    repoExtras: true,
    git: 'fetch',
    model: true,
    mcp: true,
    limits: defaultLimits,
  },
  implement: {
    flavour: 'implement',
    network: 'proxy',
    allow: packageRegistries,
    repoExtras: true,
    git: 'push-own-branch',
    model: true,
    mcp: true,
    limits: defaultLimits,
  },
  /** A read-only review: it fetches the PR's head, asks the model, and pushes nothing. */
  review: {
    flavour: 'review',
    network: 'proxy',
    allow: [],
    repoExtras: true,
    git: 'fetch',
    model: true,
    mcp: true,
    limits: defaultLimits,
  },
  /**
   * Nothing out: its proxy refuses every request but those for the preview it was given (another
   * sandbox's web server, `SandboxEgressSpec.preview`), and logs them all.
   */
  verify: {
    flavour: 'verify',
    network: 'proxy',
    allow: [],
    repoExtras: false,
    git: 'none',
    model: false,
    mcp: false,
    limits: defaultLimits,
  },
};

/** `host` or `host:port` entries from a repository's config; a bare host means ports 80 and 443. */
export function withRepoExtras(policy: FlavourPolicy, hosts: readonly string[]): FlavourPolicy {
  if (policy.network === 'none' || !policy.repoExtras || hosts.length === 0) return policy;
  return { ...policy, allow: [...policy.allow, ...hosts.map(parseHostEntry)] };
}

export function parseHostEntry(entry: string): EgressRule {
  const match = /^(\*\.)?([a-z0-9.-]+)(?::(\d{1,5}))?$/i.exec(entry.trim());
  if (!match) throw new Error(`invalid egress host entry "${entry}" (expected host or host:port)`);
  const host = `${match[1] ?? ''}${match[2]!.toLowerCase()}`;
  return { host, ports: match[3] ? [Number(match[3])] : [80, 443] };
}

function hostMatches(pattern: string, host: string): boolean {
  const h = host.toLowerCase();
  if (pattern.startsWith('*.')) return h.endsWith(pattern.slice(1)) && h.length > pattern.length - 1;
  return h === pattern;
}

function rulesFor(policy: FlavourPolicy, host: string, port: number): EgressRule[] {
  if (policy.network === 'none') return [];
  return policy.allow.filter((rule) => rule.ports.includes(port) && hostMatches(rule.host, host));
}

export function decideConnect(policy: FlavourPolicy, host: string, port: number): Decision {
  return rulesFor(policy, host, port).length > 0
    ? allowed
    : refuse(`${host}:${port} is not on the ${policy.flavour} allowlist`);
}

export function decideHttp(
  policy: FlavourPolicy,
  request: { method: string; host: string; port: number; path: string },
): Decision {
  const rules = rulesFor(policy, request.host, request.port);
  if (rules.length === 0)
    return refuse(`${request.host}:${request.port} is not on the ${policy.flavour} allowlist`);
  const fits = rules.some(
    (rule) =>
      (!rule.methods || rule.methods.includes(request.method.toUpperCase())) &&
      (!rule.pathPrefixes || rule.pathPrefixes.some((prefix) => request.path.startsWith(prefix))),
  );
  return fits
    ? allowed
    : refuse(`${request.method} ${request.path} on ${request.host} is not allowed for ${policy.flavour}`);
}

export type GitService = 'git-upload-pack' | 'git-receive-pack';

export function decideGit(
  policy: FlavourPolicy,
  run: RunScope,
  request: { owner: string; repo: string; service: GitService },
): Decision {
  if (policy.git === 'none') return refuse(`git is closed for ${policy.flavour}`);
  if (request.owner !== run.repo.owner || request.repo !== run.repo.name) {
    return refuse(
      `repository ${request.owner}/${request.repo} is not this run's (${run.repo.owner}/${run.repo.name})`,
    );
  }
  if (request.service === 'git-receive-pack' && policy.git !== 'push-own-branch') {
    return refuse(`pushing is not allowed for ${policy.flavour}`);
  }
  return allowed;
}

/** Every ref a push updates must be the run's own branch. */
export function decideRefUpdates(run: RunScope, refs: readonly string[]): Decision {
  const own = `refs/heads/${run.branch}`;
  const foreign = refs.filter((ref) => ref !== own);
  if (refs.length === 0) return refuse('push names no ref');
  return foreign.length === 0
    ? allowed
    : refuse(`push to ${foreign.join(', ')} refused: only ${own} is allowed`);
}

export function decideModel(policy: FlavourPolicy): Decision {
  return policy.model ? allowed : refuse(`the model route is closed for ${policy.flavour}`);
}

export function decideMcp(policy: FlavourPolicy): Decision {
  return policy.mcp ? allowed : refuse(`the mcp-context route is closed for ${policy.flavour}`);
}

/** Resolves when a model request may go on (`allowed`) or must be refused (a run held at its budget). */
export type ModelGate = () => Promise<Decision>;

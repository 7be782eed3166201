import type { SandboxFlavour } from '@horizon/contracts';
import type { EgressRule } from '@horizon/sandbox';
import { RunTokenIssuer } from '@horizon/mcp-context/src/auth/run-token-issuer';
import { scopesForFlavour } from '@horizon/mcp-context/src/auth/scopes';

const MCP_PATH = '/mcp';
const loopback = /^(127\.|localhost$|\[?::1\]?$)/;

/**
 * mcp-context for runs: a token per run (scoped by flavour, expiring at the deadline, revoked
 * when the run ends) and the allowlist entry that lets a sandbox reach it through the egress
 * proxy, and nothing else of that host.
 */
export class McpAccess {
  readonly url: URL;

  constructor(
    baseUrl: string,
    private readonly issuer: RunTokenIssuer,
  ) {
    this.url = new URL(MCP_PATH, baseUrl);
  }

  /** Inside a sandbox loopback is its own (and bypasses the proxy): such a URL cannot be reached. */
  get unreachable(): string | null {
    return loopback.test(this.url.hostname)
      ? `MCP_CONTEXT_URL ${this.url.origin} is a loopback address, which a sandbox cannot reach; give an address of the host`
      : null;
  }

  /** For the flavour policies: plain HTTP to the MCP endpoint only. */
  egressRule(): EgressRule {
    const port = Number(this.url.port || (this.url.protocol === 'https:' ? 443 : 80));
    return {
      host: this.url.hostname,
      ports: [port],
      methods: ['GET', 'POST', 'DELETE'],
      pathPrefixes: [MCP_PATH],
    };
  }

  grant(run: { runId: string; workItemId: string; repo: string; flavour: SandboxFlavour; deadlineAt: Date }) {
    const { token } = this.issuer.mint({
      runId: run.runId,
      scopes: scopesForFlavour(run.flavour),
      expiresAt: run.deadlineAt,
      workItemId: run.workItemId,
      repo: run.repo,
    });
    return { url: this.url.href, token };
  }

  revoke(runId: string, until: Date): Promise<void> {
    return this.issuer.revoke(runId, until);
  }
}

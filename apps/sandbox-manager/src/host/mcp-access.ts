import type { SandboxFlavour } from '@horizon/contracts';
import { RunTokenMinter, scopesForFlavour } from '@horizon/run-tokens';

const MCP_PATH = '/mcp';
/** The egress proxy's route to mcp-context, under the proxy URL a sandbox sees. */
const MCP_ROUTE = '/_horizon/mcp';

/** mcp-context's MCP endpoint as this host reaches it: where the egress proxy's route forwards. */
export function mcpEndpoint(baseUrl: string): string {
  return new URL(MCP_PATH, baseUrl).href;
}

/**
 * mcp-context for runs: a token per run (scoped by flavour, expiring at the deadline; mcp-context
 * revokes it when the run's `hzn.evt.run.finished` arrives), used at the egress proxy's `/_horizon/mcp` route. Inside a sandbox only
 * loopback exists, so the proxy is the one way there; it passes the token through untouched.
 */
export class McpAccess {
  constructor(private readonly minter: RunTokenMinter) {}

  grant(
    run: {
      runId: string;
      workItemId: string;
      repo: string;
      flavour: SandboxFlavour;
      deadlineAt: Date;
      /** The run's workspace on the host, where mcp-context reads the repository's conventions. */
      workspace: string;
    },
    proxyUrl: string,
  ) {
    const { token } = this.minter.mint({
      runId: run.runId,
      scopes: scopesForFlavour(run.flavour),
      expiresAt: run.deadlineAt,
      workItemId: run.workItemId,
      repo: run.repo,
      workspace: run.workspace,
    });
    return { url: `${proxyUrl}${MCP_ROUTE}`, token };
  }
}

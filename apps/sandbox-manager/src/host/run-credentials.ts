import { identityMintRunToken, identityRevokeRunToken } from '@horizon/contracts';
import type { RpcClient } from '@horizon/messaging';
import type { EgressCredentials } from '@horizon/sandbox';

/** What one run's egress proxy holds: got before its sandbox boots, given back when it is gone. */
export interface RunCredentials {
  acquire(run: { runId: string | null; repo: string }): Promise<EgressCredentials>;
  release(runId: string): Promise<void>;
}

/** The same credentials for every run: `SANDBOX_FORGE_TOKEN` (a local forge, development). */
export class StaticRunCredentials implements RunCredentials {
  constructor(private readonly credentials: EgressCredentials) {}

  async acquire(): Promise<EgressCredentials> {
    return this.credentials;
  }

  async release(): Promise<void> {}
}

/**
 * A GitHub App installation token per run, minted by identity-broker for the egress proxy
 * (one repository, the default permissions, an hour at most) and revoked when the run's
 * sandbox is destroyed. The model key and mcp-context's address stay the static ones.
 */
export class BrokeredRunCredentials implements RunCredentials {
  constructor(
    private readonly rpc: Pick<RpcClient, 'call'>,
    private readonly options: {
      forgeUrl: string;
      model?: EgressCredentials['model'];
      mcp?: EgressCredentials['mcp'];
      /** A revocation that failed: the token still expires within the hour. */
      onRevokeError: (error: Error, runId: string) => void;
    },
  ) {}

  async acquire(run: { runId: string | null; repo: string }): Promise<EgressCredentials> {
    const fixed: EgressCredentials = {
      ...(this.options.model ? { model: this.options.model } : {}),
      ...(this.options.mcp ? { mcp: this.options.mcp } : {}),
    };
    // Without a run (the operator command, snapshot setup) there is nothing to mint for.
    if (!run.runId) return fixed;
    const minted = await this.rpc
      .call(
        identityMintRunToken,
        { runId: run.runId, repo: run.repo, caller: 'egress-proxy' },
        { timeoutMs: 15_000 },
      )
      .catch((error: Error) => {
        throw new Error(`no forge token for ${run.repo}: ${error.message}`);
      });
    return { ...fixed, git: { upstream: this.options.forgeUrl, token: minted.token } };
  }

  async release(runId: string): Promise<void> {
    await this.rpc
      .call(identityRevokeRunToken, { runId })
      .catch((error: Error) => this.options.onRevokeError(error, runId));
  }
}

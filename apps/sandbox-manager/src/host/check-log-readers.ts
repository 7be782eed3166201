import { identityMintRunToken, identityRevokeRunToken } from '@horizon/contracts';
import { LocalForgeClient } from '@horizon/local-forge-client';
import type { RpcClient } from '@horizon/messaging';
import type { SandboxManagerConfig } from '../config';
import { GithubCheckLogs, LocalForgeCheckLogs, type CheckLogReader } from './check-logs';

/**
 * Where a fix run's check logs are read: GitHub when the App is configured (a read-only token
 * from identity-broker for each read); the local forge when it is the sandboxes' remote (its API
 * beside its git, with the same token). Exported for the end-to-end test of the GitHub path.
 */
export function checkLogReaders(
  config: Pick<
    SandboxManagerConfig,
    'GITHUB_APP_ID' | 'GITHUB_API_URL' | 'SANDBOX_FORGE_URL' | 'SANDBOX_FORGE_TOKEN'
  >,
  rpc: Pick<RpcClient, 'call'>,
): Partial<Record<'github' | 'local', CheckLogReader>> {
  if (config.GITHUB_APP_ID) {
    const tokens = {
      mint: async (runId: string, repo: string) =>
        (
          await rpc.call(
            identityMintRunToken,
            { runId, repo, caller: 'egress-proxy', permissions: { checks: 'read', actions: 'read' } },
            { timeoutMs: 15_000 },
          )
        ).token,
      revoke: async (runId: string) => void (await rpc.call(identityRevokeRunToken, { runId })),
    };
    return { github: new GithubCheckLogs(tokens, config.GITHUB_API_URL) };
  }
  const url = config.SANDBOX_FORGE_URL;
  if (!/^https?:\/\//.test(url) || new URL(url).hostname === 'github.com' || !config.SANDBOX_FORGE_TOKEN)
    return {};
  return {
    local: new LocalForgeCheckLogs(new LocalForgeClient({ baseUrl: url, token: config.SANDBOX_FORGE_TOKEN })),
  };
}

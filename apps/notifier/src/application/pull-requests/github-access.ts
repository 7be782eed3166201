import { identityGet, identityMintRunToken, identityUserToken } from '@horizon/contracts';
import { octokitFor, OctokitForge } from '@horizon/integrations-github';
import type { RunTokenPermissions } from '@horizon/contracts';
import type { ForgePort, PullRequestRef, RepoName, WorkOwner } from '@horizon/integrations-github';
import { RpcError } from '@horizon/messaging';
import type { RpcClient } from '@horizon/messaging';

/** Finds the open pull request for a branch: what tells a retry that an earlier attempt already opened it. */
export interface PullRequestLookup {
  findOpen(repo: RepoName, head: string): Promise<PullRequestRef | null>;
}

/** Everything needed to open one run's PR: who owns it and the forges to act through. */
export interface ForgeSession {
  owner: WorkOwner;
  /** Acts as the app (an installation token for this one repository). */
  appForge: ForgePort;
  /** Acts as the owner (their user-to-server token), when they linked GitHub. */
  ownerForge?: ForgePort;
  lookup: PullRequestLookup;
}

export interface ForgeAccess {
  session(command: { runId: string; repo: string; ownerId: string | null }): Promise<ForgeSession>;
  /** The app's client for a run's repository, for check runs and PR comments. */
  reporter(command: { runId: string; repo: string }): Promise<ForgePort>;
  /** The app's read-only client for a run's repository (pull requests and their mergeability). */
  reader(command: { runId: string; repo: string }): Promise<ForgePort>;
}

/** The only permission opening a PR and requesting its review needs. */
const NOTIFIER_PERMISSIONS = { pull_requests: 'write' } as const;
/** Check runs and PR comments: a token of their own, so an app without `checks` still opens PRs. */
const REPORTER_PERMISSIONS = { checks: 'write', pull_requests: 'write' } as const;
/** Reading open pull requests and whether they still merge. */
const READER_PERMISSIONS = { pull_requests: 'read' } as const;
const NO_OWNER: WorkOwner = { displayName: 'no recorded owner' };

/**
 * GitHub credentials through identity-broker: the owner's identity and linked account
 * (`identity.get`), their user-to-server token (`identity.user_token`) and an installation token
 * for the run's repository (`identity.mint_run_token`, as `notifier`). An `RpcError` (e.g.
 * `not_configured`) reaches the caller as is.
 */
export class IdentityGitHubAccess implements ForgeAccess {
  constructor(
    private readonly rpc: Pick<RpcClient, 'call'>,
    private readonly apiUrl: string,
  ) {}

  reporter(command: { runId: string; repo: string }): Promise<ForgePort> {
    return this.appClient(command, REPORTER_PERMISSIONS);
  }

  reader(command: { runId: string; repo: string }): Promise<ForgePort> {
    return this.appClient(command, READER_PERMISSIONS);
  }

  private async appClient(
    command: { runId: string; repo: string },
    permissions: RunTokenPermissions,
  ): Promise<ForgePort> {
    const minted = await this.rpc.call(identityMintRunToken, {
      runId: command.runId,
      repo: command.repo,
      caller: 'notifier',
      permissions,
    });
    return OctokitForge.withToken(minted.token, this.apiUrl);
  }

  async session(command: { runId: string; repo: string; ownerId: string | null }): Promise<ForgeSession> {
    const minted = await this.rpc.call(identityMintRunToken, {
      runId: command.runId,
      repo: command.repo,
      caller: 'notifier',
      permissions: NOTIFIER_PERMISSIONS,
    });
    const appForge = await OctokitForge.withToken(minted.token, this.apiUrl);
    const lookup = new OctokitPullRequestLookup(minted.token, this.apiUrl);
    if (!command.ownerId) return { owner: NO_OWNER, appForge, lookup };
    const { identity } = await this.rpc.call(identityGet, { identityId: command.ownerId });
    if (!identity) return { owner: { displayName: `unknown owner ${command.ownerId}` }, appForge, lookup };
    const link = identity.links.find((l) => l.provider === 'github' && l.login);
    const owner: WorkOwner = {
      displayName: identity.displayName,
      ...(link ? { github: { id: Number(link.externalId), login: link.login! } } : {}),
    };
    if (!link) return { owner, appForge, lookup };
    const token = await this.userToken(identity.id);
    const ownerForge = token ? await OctokitForge.withToken(token, this.apiUrl) : undefined;
    return { owner, appForge, lookup, ...(ownerForge ? { ownerForge } : {}) };
  }

  /**
   * The owner's token, or null when they have none or GitHub refused to refresh it (revoked
   * authorization): the app then opens the PR in their name rather than not at all.
   */
  private async userToken(identityId: string): Promise<string | null> {
    try {
      const { token } = await this.rpc.call(identityUserToken, {
        identityId,
        provider: 'github',
        caller: 'notifier',
      });
      return token?.accessToken ?? null;
    } catch (err) {
      if (err instanceof RpcError && err.code === 'refresh_failed') return null;
      throw err;
    }
  }
}

/** GitHub's list-pulls filtered by head (`owner:branch`), open only. */
export class OctokitPullRequestLookup implements PullRequestLookup {
  constructor(
    private readonly token: string,
    private readonly apiUrl: string,
  ) {}

  async findOpen(repo: RepoName, head: string): Promise<PullRequestRef | null> {
    const octokit = await octokitFor(this.token, this.apiUrl);
    const { data } = await octokit.rest.pulls.list({ ...repo, head: `${repo.owner}:${head}`, state: 'open' });
    const pr = data[0];
    if (!pr) return null;
    return {
      number: pr.number,
      url: pr.html_url,
      author: pr.user?.login ?? 'ghost',
      headSha: pr.head.sha,
      state: pr.state === 'closed' ? 'closed' : 'open',
    };
  }
}

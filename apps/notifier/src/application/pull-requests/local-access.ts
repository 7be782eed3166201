import { identityGet } from '@horizon/contracts';
import {
  LocalForgeAdapter,
  LocalForgeClient,
  LocalForgeTokenMissing,
  resolveLocalForgeToken,
} from '@horizon/local-forge-client';
import type { PullRequestRef, RepoName, WorkOwner } from '@horizon/integrations-github';
import type { RpcClient } from '@horizon/messaging';
import type { ForgeAccess, ForgeSession, PullRequestLookup } from './github-access';

/** The login the app acts as on the local forge, as on GitHub. */
export const LOCAL_BOT_LOGIN = 'horizon[bot]';

/** A forge that cannot be reached as configured: no retry changes that. */
export class ForgeNotConfigured extends Error {
  override readonly name = 'ForgeNotConfigured';
}

/**
 * The local forge (docs/local-forge.md). Its token is one per machine, so the acting user is
 * chosen per request: the owner's login when they linked a `local` (else `github`) account,
 * otherwise `horizon[bot]`, whose PR body names the owner. The token is `FORGE_TOKEN` or the
 * file the forge writes on its first start, read per command so a forge started after the
 * notifier is found.
 */
export class LocalForgeAccess implements ForgeAccess {
  constructor(
    private readonly rpc: Pick<RpcClient, 'call'>,
    private readonly options: { url: string; token: string | undefined; dataDir: string },
  ) {}

  async reporter(): Promise<LocalForgeAdapter> {
    return new LocalForgeAdapter({ baseUrl: this.options.url, token: this.token(), user: LOCAL_BOT_LOGIN });
  }

  /** The local forge has one token: reading is what the reporter can do too. */
  reader(): Promise<LocalForgeAdapter> {
    return this.reporter();
  }

  async session(command: { ownerId: string | null }): Promise<ForgeSession> {
    const token = this.token();
    const forgeAs = (user: string) => new LocalForgeAdapter({ baseUrl: this.options.url, token, user });
    const appForge = forgeAs(LOCAL_BOT_LOGIN);
    const lookup = new LocalPullRequestLookup(
      new LocalForgeClient({ baseUrl: this.options.url, token }),
      appForge,
    );
    if (!command.ownerId) return { owner: { displayName: 'no recorded owner' }, appForge, lookup };
    const { identity } = await this.rpc.call(identityGet, { identityId: command.ownerId });
    if (!identity) return { owner: { displayName: `unknown owner ${command.ownerId}` }, appForge, lookup };
    const link =
      identity.links.find((l) => l.provider === 'local' && l.login) ??
      identity.links.find((l) => l.provider === 'github' && l.login);
    const owner: WorkOwner = { displayName: identity.displayName };
    if (!link) return { owner, appForge, lookup };
    return { owner, appForge, ownerForge: forgeAs(link.login!), lookup };
  }

  private token(): string {
    try {
      return resolveLocalForgeToken(this.options.token, this.options.dataDir);
    } catch (err) {
      if (err instanceof LocalForgeTokenMissing) throw new ForgeNotConfigured(err.message);
      throw err;
    }
  }
}

/** The forge's open pull requests filtered by head branch. */
export class LocalPullRequestLookup implements PullRequestLookup {
  constructor(
    private readonly client: LocalForgeClient,
    private readonly forge: LocalForgeAdapter,
  ) {}

  async findOpen(repo: RepoName, head: string): Promise<PullRequestRef | null> {
    const pulls = await this.client.listPulls(repo.owner, repo.repo, 'open');
    const pr = pulls.find((p) => p.headRef === head);
    return pr ? this.forge.ref(pr, repo) : null;
  }
}

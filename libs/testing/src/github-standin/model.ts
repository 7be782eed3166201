import { randomBytes } from 'node:crypto';

/** The in-memory GitHub the stand-in serves: accounts, repositories, installations, tokens, PRs. */
export type Level = 'read' | 'write';
export type Permissions = Record<string, Level>;

export interface User {
  id: number;
  login: string;
  name: string | null;
  type: 'User' | 'Bot';
}

export interface Repository {
  id: number;
  owner: string;
  name: string;
  defaultBranch: string;
  /** Logins that can push and be asked for review; the owner account always can. */
  collaborators: Set<string>;
  branches: Map<string, { sha: string; diff: string }>;
}

export interface Installation {
  id: number;
  account: string;
  repositories: Set<string>;
  permissions: Permissions;
}

export type TokenGrant =
  | {
      kind: 'installation';
      installationId: number;
      repositories: string[];
      permissions: Permissions;
      expiresAt: Date;
    }
  | { kind: 'user'; login: string; expiresAt: Date | null };

/** An installation token as issued, kept after it is revoked: which grant went out, and whether it was given back. */
export interface IssuedInstallationToken {
  token: string;
  grant: Extract<TokenGrant, { kind: 'installation' }>;
  revokedAt: Date | null;
}

export interface PullRequest {
  id: number;
  number: number;
  repo: string;
  title: string;
  body: string | null;
  head: string;
  base: string;
  headSha: string;
  draft: boolean;
  state: 'open' | 'closed';
  merged?: boolean;
  /**
   * Set when its base moved (`mergePull`): GitHub answers `mergeable: null` to the next
   * `pendingAsks` reads while its background job computes, then the result. Unset: clean.
   */
  mergeability?: { pendingAsks: number; conflicting: boolean };
  author: string;
  requestedReviewers: string[];
  createdAt: Date;
  updatedAt: Date;
}

export interface IssueComment {
  id: number;
  repo: string;
  issueNumber: number;
  author: string;
  body: string;
  createdAt: Date;
}

export interface Review {
  id: number;
  repo: string;
  pullNumber: number;
  reviewer: string;
  state: 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED';
  body: string;
  comments: { id: number; path: string; line: number; body: string }[];
}

export interface CheckRun {
  id: number;
  repo: string;
  name: string;
  headSha: string;
  status: string;
  conclusion: string | null;
  output: { title?: string; summary?: string; text?: string } | null;
  author: string;
}

export interface GitHubRecordedRequest {
  method: string;
  path: string;
  status: number;
  /** Which kind of credential it carried: none, an app JWT, an installation or user token. */
  auth: 'none' | 'app' | 'installation' | 'user' | 'invalid';
}

export class GitHubModel {
  private nextId = 1000;
  readonly users = new Map<string, User>();
  readonly repos = new Map<string, Repository>();
  readonly installations = new Map<number, Installation>();
  /** The live tokens; revoking one removes it. */
  readonly tokens = new Map<string, TokenGrant>();
  /** Every installation token issued, in order, revoked ones too. */
  readonly installationTokens: IssuedInstallationToken[] = [];
  readonly pulls: PullRequest[] = [];
  readonly issueComments: IssueComment[] = [];
  readonly reviews: Review[] = [];
  readonly checkRuns: CheckRun[] = [];
  /** An Actions job's log by job id (a GitHub Actions check run's id is its job's). */
  readonly jobLogs = new Map<number, string>();
  readonly requests: GitHubRecordedRequest[] = [];
  /** OAuth codes issued by the authorize page, single use. */
  readonly oauthCodes = new Map<string, { login: string; redirectUri: string | null; expiresAt: Date }>();
  readonly refreshTokens = new Map<string, { login: string; expiresAt: Date }>();

  id(): number {
    return this.nextId++;
  }

  user(login: string, name: string | null = null, type: User['type'] = 'User'): User {
    let user = this.users.get(login);
    if (!user) {
      user = { id: this.id(), login, name, type };
      this.users.set(login, user);
    }
    return user;
  }

  repo(fullName: string): Repository | undefined {
    return this.repos.get(fullName.toLowerCase());
  }

  installationFor(fullName: string): Installation | undefined {
    const repo = this.repo(fullName);
    if (!repo) return undefined;
    return [...this.installations.values()].find(
      (i) => i.account.toLowerCase() === repo.owner.toLowerCase() && i.repositories.has(repo.name),
    );
  }

  issueToken(prefix: 'ghs' | 'ghu' | 'ghr', grant?: TokenGrant): string {
    const token = `${prefix}_${randomBytes(18).toString('base64url')}`;
    if (grant) this.tokens.set(token, grant);
    if (grant?.kind === 'installation') this.installationTokens.push({ token, grant, revokedAt: null });
    return token;
  }

  revokeToken(token: string): void {
    this.tokens.delete(token);
    const issued = this.installationTokens.find((t) => t.token === token);
    if (issued) issued.revokedAt = new Date();
  }

  nextPullNumber(repo: string): number {
    return this.pulls.filter((p) => p.repo === repo).length + 1;
  }
}

/** `write` satisfies `read`; nothing satisfies a permission the grant does not hold. */
export function allows(permissions: Permissions, name: string, level: Level): boolean {
  const held = permissions[name];
  return held === 'write' || (held === 'read' && level === 'read');
}

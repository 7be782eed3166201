import type { ForgePort, PullRequestRef, RepoName, VerificationResult } from './forge';
import { verificationReport } from './verification-report';

/** The human a piece of work belongs to, as far as GitHub is concerned. */
export interface WorkOwner {
  displayName: string;
  /** Their linked GitHub account, when there is one. */
  github?: { id: number; login: string };
  /** Used for the commit trailer when no GitHub account is linked. */
  email?: string;
}

export interface CommitIdentity {
  name: string;
  email: string;
}

/**
 * GitHub's private commit address for an account (`<id>+<login>@users.noreply.github.com`):
 * commits carrying it count as that account's whatever its email settings. Works for an
 * app's bot account too (login `<slug>[bot]`).
 */
export function githubNoreplyEmail(account: { id: number; login: string }): string {
  return `${account.id}+${account.login}@users.noreply.github.com`;
}

/** `Co-authored-by:` trailers for the owner (when they have an address) and the agent. */
export function buildCommitTrailers(owner: WorkOwner, agent: CommitIdentity): string[] {
  const ownerEmail = owner.github ? githubNoreplyEmail(owner.github) : owner.email;
  return [...(ownerEmail ? [coAuthor({ name: owner.displayName, email: ownerEmail })] : []), coAuthor(agent)];
}

function coAuthor(who: CommitIdentity): string {
  // A newline or angle bracket in a display name would break the trailer's grammar.
  const name = who.name.replace(/[\r\n<>]/g, ' ').trim();
  return `Co-authored-by: ${name} <${who.email}>`;
}

export interface PullRequestBodyInput {
  summary: string;
  trackerIssue?: { identifier?: string; url?: string; title?: string };
  verification: VerificationResult[];
  /** The run's browser check (markdown), after the verification. */
  browserCheck?: string;
  owner: WorkOwner;
  /** True when the PR is opened with the owner's own token, so GitHub shows them as author. */
  authoredByOwner: boolean;
  runUrl?: string;
}

export function buildPullRequestBody(input: PullRequestBodyInput): string {
  const sections = [input.summary.trim()];
  const issue = input.trackerIssue;
  if (issue) {
    const label = issue.identifier ?? issue.title ?? 'tracker issue';
    sections.push(
      `**Tracker issue:** ${issue.url ? `[${label}](${issue.url})` : label}${issue.identifier && issue.title ? ` — ${issue.title}` : ''}`,
    );
  }
  if (!input.authoredByOwner) {
    const who = input.owner.github
      ? `@${input.owner.github.login}`
      : `${input.owner.displayName} (no linked GitHub account)`;
    sections.push(`**Owner:** ${who} — opened by Horizon on their behalf.`);
  }
  const report = verificationReport(input.verification);
  sections.push(`### Verification: ${report.title}\n\n${report.summary}`);
  if (input.browserCheck) sections.push(input.browserCheck);
  if (input.runUrl) sections.push(`<sub>[Horizon run](${input.runUrl})</sub>`);
  return sections.join('\n\n');
}

export interface AttributedPullRequest {
  pullRequest: PullRequestRef;
  authoredBy: 'owner' | 'app';
  reviewersRequested: string[];
}

/**
 * Opens a run's pull request in its owner's name. With the owner's user-to-server token
 * (`ownerForge`) the owner is the author; otherwise the app opens it, the body names the
 * owner and, when they have a GitHub account, they are requested as reviewer (GitHub
 * refuses to request a review from a PR's own author, so an owner-authored PR gets none).
 */
export async function openAttributedPullRequest(input: {
  appForge: ForgePort;
  ownerForge?: ForgePort;
  repo: RepoName;
  head: string;
  base: string;
  title: string;
  body: Omit<PullRequestBodyInput, 'authoredByOwner'>;
  draft?: boolean;
}): Promise<AttributedPullRequest> {
  const authoredByOwner = input.ownerForge !== undefined;
  const forge = input.ownerForge ?? input.appForge;
  const pullRequest = await forge.createPullRequest(input.repo, {
    head: input.head,
    base: input.base,
    title: input.title,
    body: buildPullRequestBody({ ...input.body, authoredByOwner }),
    ...(input.draft !== undefined ? { draft: input.draft } : {}),
  });
  const login = input.body.owner.github?.login;
  const reviewersRequested = !authoredByOwner && login ? [login] : [];
  if (reviewersRequested.length)
    await input.appForge.requestReview(input.repo, pullRequest.number, reviewersRequested);
  return { pullRequest, authoredBy: authoredByOwner ? 'owner' : 'app', reviewersRequested };
}

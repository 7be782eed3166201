import { Injectable } from '@nestjs/common';
import { ForgeError } from '../domain/errors';
import { ForgeEvent, ForgeEvents } from '../domain/events';
import { BareRepositories } from '../git/bare-repos';
import { LabelRepository } from '../persistence/label.repository';
import { PullRequestRepository } from '../persistence/pull-request.repository';
import { RepoRepository } from '../persistence/repo.repository';
import { ForgeTransactions } from '../persistence/transactions';
import { MergeReadiness } from './merge-readiness';
import { PullRequestFinder } from './pull-request-finder';

/**
 * Pull requests: open, read, edit, close, and follow their head branch after a push. Every
 * change commits with its normalized ingress event in the forge's outbox.
 */
@Injectable()
export class PullRequestService {
  constructor(
    private readonly finder: PullRequestFinder,
    private readonly repos: RepoRepository,
    private readonly pulls: PullRequestRepository,
    private readonly transactions: ForgeTransactions,
    private readonly git: BareRepositories,
    private readonly readiness: MergeReadiness,
    private readonly labels: LabelRepository,
    private readonly events: ForgeEvents,
  ) {}

  async create(
    owner: string,
    name: string,
    input: { head: string; base?: string; title: string; body?: string | null },
    user: string,
  ) {
    const repo = await this.finder.repository(owner, name);
    const base = input.base ?? repo.defaultBranch;
    if (input.head === base) throw new ForgeError(422, 'head and base are the same branch');
    const [headSha, baseSha] = await Promise.all([
      this.git.branchSha(owner, name, input.head),
      this.git.branchSha(owner, name, base),
    ]);
    if (!headSha) throw new ForgeError(422, `head branch ${input.head} does not exist`);
    if (!baseSha) throw new ForgeError(422, `base branch ${base} does not exist`);
    return this.transactions.run(async (tx) => {
      const open = await this.pulls.findOpen(tx, repo.id, input.head, base);
      if (open)
        throw new ForgeError(
          422,
          `a pull request for ${input.head} into ${base} is already open: #${open.number}`,
        );
      const pr = await this.pulls.create(tx, {
        repositoryId: repo.id,
        number: await this.repos.takeNumber(tx, repo.id),
        title: input.title,
        body: input.body ?? null,
        headRef: input.head,
        headSha,
        baseRef: base,
        author: user,
      });
      return { value: pr, events: [this.events.pullRequest(repo, pr, 'opened', user)] };
    });
  }

  async list(owner: string, name: string, state: 'open' | 'closed' | 'all') {
    const repo = await this.finder.repository(owner, name);
    return this.pulls.list(repo.id, state);
  }

  /** The pull request with its labels and what a reviewer asks: is it approved, can it merge, and why not. */
  async detail(owner: string, name: string, number: number) {
    const { pr } = await this.finder.pull(owner, name, number);
    const [approval, labels] = await Promise.all([this.readiness.approval(pr), this.labels.onPull(pr.id)]);
    if (pr.state !== 'open')
      return {
        ...pr,
        ...approval,
        labels,
        mergeable: false,
        mergeableReason: `it is ${pr.merged ? 'merged' : 'closed'}`,
      };
    const check = await this.readiness.mergeability(owner, name, pr);
    return {
      ...pr,
      ...approval,
      labels,
      mergeable: check.mergeable,
      mergeableReason: check.mergeable ? null : check.reason,
    };
  }

  async update(
    owner: string,
    name: string,
    number: number,
    changes: { title?: string; body?: string | null; state?: 'open' | 'closed' },
    user: string,
  ) {
    const { repo, pr } = await this.finder.pull(owner, name, number);
    if (changes.state === 'open' && pr.state !== 'open')
      throw new ForgeError(422, 'a closed pull request cannot be reopened on the local forge');
    const closing = changes.state === 'closed' && pr.state === 'open';
    return this.transactions.run(async (tx) => {
      const updated = await this.pulls.update(tx, pr.id, {
        title: changes.title,
        body: changes.body,
        ...(closing ? { state: 'closed', closedAt: new Date() } : {}),
      });
      const events = closing ? [this.events.pullRequest(repo, updated, 'closed', user)] : [];
      return { value: updated, events };
    });
  }

  async diff(owner: string, name: string, number: number): Promise<string> {
    const { pr } = await this.finder.pull(owner, name, number);
    const base = pr.mergedBaseSha ?? (await this.git.branchSha(owner, name, pr.baseRef));
    if (!base) throw new ForgeError(422, `base branch ${pr.baseRef} no longer exists`);
    return this.git.diff(owner, name, base, pr.headSha);
  }

  async requestReviewers(owner: string, name: string, number: number, reviewers: string[]) {
    const { pr } = await this.finder.pull(owner, name, number);
    return this.pulls.setRequestedReviewers(pr.id, [...new Set([...pr.requestedReviewers, ...reviewers])]);
  }

  /**
   * After a push: every open pull request whose head branch moved is `synchronize`d. The pusher
   * is `user` when the credentials named one, else (a bare token) the pull request's author.
   */
  async pushed(
    owner: string,
    name: string,
    moved: { branch: string; sha: string }[],
    user: string | null,
  ): Promise<number> {
    if (moved.length === 0) return 0;
    const repo = await this.repos.find(owner, name);
    if (!repo) return 0;
    return this.transactions.run(async (tx) => {
      const events: ForgeEvent[] = [];
      for (const { branch, sha } of moved) {
        for (const pr of await this.pulls.openWithHead(tx, repo.id, branch)) {
          const updated = await this.pulls.update(tx, pr.id, { headSha: sha });
          events.push(this.events.pullRequest(repo, updated, 'synchronize', user ?? pr.author));
        }
      }
      return { value: events.length, events };
    });
  }
}

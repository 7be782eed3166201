import { Injectable } from '@nestjs/common';
import { ForgeError } from '../domain/errors';
import { ForgeEvents } from '../domain/events';
import { LabelRepository } from '../persistence/label.repository';
import { ForgeTransactions } from '../persistence/transactions';
import { PullRequestFinder } from './pull-request-finder';

/**
 * Labels on pull requests, as GitHub's issue-label API has them: each label put on announces
 * `pull_request` `labeled`, each taken off `unlabeled`, so the routing rules that read labels
 * (`horizon:no-autofix`, docs/stations.md) work on the local forge as on GitHub.
 */
@Injectable()
export class LabelService {
  constructor(
    private readonly finder: PullRequestFinder,
    private readonly labels: LabelRepository,
    private readonly transactions: ForgeTransactions,
    private readonly events: ForgeEvents,
  ) {}

  async list(owner: string, name: string, number: number) {
    const { pr } = await this.finder.pull(owner, name, number);
    return this.labels.onPull(pr.id);
  }

  /** Adds labels; answers every label of the pull request. A label it already carries announces nothing. */
  async add(owner: string, name: string, number: number, names: string[], user: string) {
    const { repo, pr } = await this.finder.pull(owner, name, number);
    const pull = { repositoryId: repo.id, pullRequestId: pr.id };
    return this.transactions.run(async (tx) => {
      const added = await this.labels.attach(tx, pull, [...new Set(names)], user);
      return {
        value: await this.labels.onPull(pr.id, tx),
        events: added.map((label) => this.events.label(repo, pr, 'labeled', label.name, user)),
      };
    });
  }

  /** Removes one label; answers the labels left. GitHub's 404 when the pull request does not carry it. */
  async remove(owner: string, name: string, number: number, label: string, user: string) {
    const { repo, pr } = await this.finder.pull(owner, name, number);
    return this.transactions.run(async (tx) => {
      const removed = await this.labels.detach(tx, { repositoryId: repo.id, pullRequestId: pr.id }, label);
      if (!removed) throw new ForgeError(404, 'Label does not exist');
      return {
        value: await this.labels.onPull(pr.id, tx),
        events: [this.events.label(repo, pr, 'unlabeled', removed.name, user)],
      };
    });
  }
}

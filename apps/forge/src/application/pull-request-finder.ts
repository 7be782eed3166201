import { Injectable } from '@nestjs/common';
import { notFound } from '../domain/errors';
import { PullRequestRepository, PullRow } from '../persistence/pull-request.repository';
import { RepoRepository, RepoRow } from '../persistence/repo.repository';

/** Finds a repository or one of its pull requests by name, or refuses with 404. */
@Injectable()
export class PullRequestFinder {
  constructor(
    private readonly repos: RepoRepository,
    private readonly pulls: PullRequestRepository,
  ) {}

  async repository(owner: string, name: string): Promise<RepoRow> {
    const repo = await this.repos.find(owner, name);
    if (!repo) throw notFound(`repository ${owner}/${name}`);
    return repo;
  }

  async pull(owner: string, name: string, number: number): Promise<{ repo: RepoRow; pr: PullRow }> {
    const repo = await this.repository(owner, name);
    const pr = await this.pulls.find(repo.id, number);
    if (!pr) throw notFound(`pull request ${owner}/${name}#${number}`);
    return { repo, pr };
  }
}

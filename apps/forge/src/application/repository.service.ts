import { Injectable } from '@nestjs/common';
import { ForgeError } from '../domain/errors';
import { BareRepositories, isValidRepoName } from '../git/bare-repos';
import { RepoRepository } from '../persistence/repo.repository';
import { PullRequestFinder } from './pull-request-finder';

/** Repositories: a bare git repository on disk and its row, created together or not at all. */
@Injectable()
export class RepositoryService {
  constructor(
    private readonly repos: RepoRepository,
    private readonly git: BareRepositories,
    private readonly finder: PullRequestFinder,
  ) {}

  async create(input: { owner: string; name: string; from?: string; defaultBranch?: string }) {
    if (!isValidRepoName(input.owner) || !isValidRepoName(input.name))
      throw new ForgeError(422, 'owner and name: letters, digits, _ . - (not ending in .git)');
    if (await this.repos.find(input.owner, input.name))
      throw new ForgeError(422, `${input.owner}/${input.name} already exists`);
    if (await this.git.exists(input.owner, input.name))
      throw new ForgeError(
        409,
        `${this.git.dir(input.owner, input.name)} exists on disk but not in the database`,
      );
    try {
      const defaultBranch = await this.git.create(input.owner, input.name, {
        from: input.from,
        defaultBranch: input.defaultBranch ?? 'main',
      });
      return await this.repos.create({ owner: input.owner, name: input.name, defaultBranch });
    } catch (err) {
      await this.git.remove(input.owner, input.name);
      if ((err as Error).name === 'GitError') throw new ForgeError(422, (err as Error).message);
      throw err;
    }
  }

  list() {
    return this.repos.list();
  }

  get(owner: string, name: string) {
    return this.finder.repository(owner, name);
  }

  async branches(owner: string, name: string) {
    await this.finder.repository(owner, name);
    return this.git.branches(owner, name);
  }
}

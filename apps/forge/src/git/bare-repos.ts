import fs from 'node:fs/promises';
import path from 'node:path';
import { git } from './git';

/** Owner and repository names the forge accepts: what GitHub accepts, and never a path trick. */
export const REPO_NAME_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}$/;

export function isValidRepoName(name: string): boolean {
  return REPO_NAME_PATTERN.test(name) && !name.endsWith('.git') && !name.includes('..');
}

export interface Branch {
  name: string;
  sha: string;
}

export type Mergeability = { mergeable: true; tree: string } | { mergeable: false; reason: string };

export interface Identity {
  name: string;
  email: string;
}

/**
 * The forge's bare repositories under `<root>/<owner>/<name>.git`: everything the REST API
 * does to git (create, read branches, diff, merge) happens here, with plain git commands.
 */
export class BareRepositories {
  constructor(readonly root: string) {}

  dir(owner: string, name: string): string {
    return path.join(this.root, owner, `${name}.git`);
  }

  async exists(owner: string, name: string): Promise<boolean> {
    return fs
      .stat(path.join(this.dir(owner, name), 'HEAD'))
      .then(() => true)
      .catch(() => false);
  }

  /**
   * An empty repository whose HEAD names `defaultBranch`, or a bare clone of the git repository
   * at `from` (every branch; its checked-out branch becomes the default). Returns the default branch.
   */
  async create(
    owner: string,
    name: string,
    options: { from?: string; defaultBranch: string },
  ): Promise<string> {
    const dir = this.dir(owner, name);
    await fs.mkdir(path.dirname(dir), { recursive: true });
    let defaultBranch = options.defaultBranch;
    if (options.from) {
      await git(path.dirname(dir), ['clone', '--bare', '--quiet', path.resolve(options.from), dir]);
      await git(dir, ['remote', 'remove', 'origin']);
      defaultBranch = (await git(dir, ['symbolic-ref', '--short', 'HEAD'])).stdout.trim();
    } else {
      await git(path.dirname(dir), ['init', '--bare', '--quiet', `--initial-branch=${defaultBranch}`, dir]);
    }
    // Pushes over smart HTTP are authenticated by the forge itself, so http-backend may accept them.
    await git(dir, ['config', 'http.receivepack', 'true']);
    return defaultBranch;
  }

  async remove(owner: string, name: string): Promise<void> {
    await fs.rm(this.dir(owner, name), { recursive: true, force: true });
  }

  async branches(owner: string, name: string): Promise<Branch[]> {
    const { stdout } = await git(this.dir(owner, name), [
      'for-each-ref',
      '--format=%(refname:short) %(objectname)',
      'refs/heads',
    ]);
    return stdout
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const [branch, sha] = line.split(' ');
        return { name: branch!, sha: sha! };
      });
  }

  async branchSha(owner: string, name: string, branch: string): Promise<string | null> {
    const { stdout, exitCode } = await git(
      this.dir(owner, name),
      ['rev-parse', '--verify', '--quiet', `refs/heads/${branch}^{commit}`],
      { okCodes: [1] },
    );
    return exitCode === 0 ? stdout.trim() : null;
  }

  /** `git diff base...head`: what head changed since it forked from base. */
  async diff(owner: string, name: string, base: string, head: string): Promise<string> {
    return (await git(this.dir(owner, name), ['diff', `${base}...${head}`])).stdout;
  }

  async mergeability(owner: string, name: string, baseSha: string, headSha: string): Promise<Mergeability> {
    const dir = this.dir(owner, name);
    const ancestor = await git(dir, ['merge-base', '--is-ancestor', headSha, baseSha], { okCodes: [1] });
    if (ancestor.exitCode === 0)
      return { mergeable: false, reason: 'the head has no commits the base lacks' };
    const result = await git(dir, ['merge-tree', '--write-tree', '--name-only', baseSha, headSha], {
      okCodes: [1],
    });
    const [tree, ...rest] = result.stdout.split('\n');
    if (result.exitCode === 1) {
      const files = rest.filter((l) => l && !l.includes(' ')).slice(0, 20);
      return { mergeable: false, reason: `merge conflict in ${files.join(', ') || 'the head'}` };
    }
    return { mergeable: true, tree: tree!.trim() };
  }

  /**
   * A real merge commit of `headSha` into `baseRef`, made without a work tree (`merge-tree`,
   * `commit-tree`) and recorded with `update-ref` only if the base has not moved meanwhile.
   */
  async merge(
    owner: string,
    name: string,
    input: {
      baseRef: string;
      baseSha: string;
      headSha: string;
      tree: string;
      message: string;
      author: Identity;
    },
  ): Promise<string> {
    const dir = this.dir(owner, name);
    const env = {
      GIT_AUTHOR_NAME: input.author.name,
      GIT_AUTHOR_EMAIL: input.author.email,
      GIT_COMMITTER_NAME: 'Horizon forge',
      GIT_COMMITTER_EMAIL: 'forge@horizon.local',
    };
    const { stdout } = await git(
      dir,
      ['commit-tree', input.tree, '-p', input.baseSha, '-p', input.headSha, '-m', input.message],
      { env },
    );
    const sha = stdout.trim();
    await git(dir, ['update-ref', `refs/heads/${input.baseRef}`, sha, input.baseSha]);
    return sha;
  }
}

import { orchestratorListRepositories } from '@horizon/contracts';
import type { RpcClient } from '@horizon/messaging';
import { roleIn } from '../domain/access';
import type { RepositoriesView } from '../shared/console-api';
import type { PeopleAdmin } from './people-admin.service';
import type { Viewer } from './sign-in.service';

/**
 * The repositories Horizon knows — those the orchestrator has work in (its RPC, not its tables)
 * and those someone was granted a role in — each with who has which role there. An admin sees
 * the repositories they administer; an admin of every repository sees all of them.
 */
export class RepositoriesAdmin {
  constructor(
    private readonly rpc: RpcClient,
    private readonly people: PeopleAdmin,
  ) {}

  async list(viewer: Viewer): Promise<RepositoriesView> {
    const [{ repositories }, people] = await Promise.all([
      this.rpc.call(orchestratorListRepositories, {}),
      this.people.list(),
    ]);
    const work = new Map(repositories.map((r) => [r.repo, r]));
    const names = new Set([
      ...work.keys(),
      ...people.flatMap((p) => p.grants.map((g) => g.repo)).filter((repo) => repo !== '*'),
    ]);
    const grantsIn = (repo: string) =>
      people.flatMap((p) =>
        p.grants.filter((g) => g.repo === repo).map((g) => ({ personId: p.id, name: p.name, role: g.role })),
      );
    return {
      repositories: [...names]
        .filter((repo) => roleIn(viewer.grants, repo) === 'admin')
        .sort()
        .map((repo) => ({
          repo,
          workItems: work.get(repo)?.workItems ?? 0,
          latestAt: work.get(repo)?.latestAt ?? null,
          grants: grantsIn(repo),
        })),
      everywhere: grantsIn('*'),
    };
  }
}

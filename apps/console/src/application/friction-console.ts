import { randomUUID } from 'node:crypto';
import {
  orchestratorCreateRetro,
  orchestratorFrictionSummary,
  orchestratorRepoTrends,
} from '@horizon/contracts';
import type { FrictionKind } from '@horizon/contracts';
import { RpcError, type RpcClient } from '@horizon/messaging';
import { roleIn, satisfies, visibleRepos } from '../domain/access';
import type { AuditRepository } from '../persistence/audit.repository';
import type { FrictionView, RetroStarted, TrendsView } from '../shared/console-api';
import type { Viewer } from './sign-in.service';
import { NotPermitted } from './work-reader';

/** The orchestrator found no papercut to hand a retro; the message says so and what to try. */
export class NothingToFix extends Error {}

/**
 * The papercuts runs met, grouped across runs, in the repositories the person may see; and
 * retros on them, started by members of the repository and audited with the person.
 */
export class FrictionConsole {
  constructor(
    private readonly rpc: RpcClient,
    private readonly audit: AuditRepository,
    /** The identity a person signs in as (null: none): a retro's proposals are theirs. */
    private readonly identityOf: (personId: string) => Promise<string | null>,
  ) {}

  async summary(
    viewer: Viewer,
    query: { since: Date; repo?: string; kind?: FrictionKind; minRuns: number },
  ): Promise<FrictionView> {
    const visible = visibleRepos(viewer.grants);
    const repos = query.repo ? [query.repo] : visible.all ? undefined : [...visible.repos];
    if (query.repo && !visible.all && !visible.repos.has(query.repo))
      return { since: query.since.toISOString(), groups: [], retroRepos: [] };
    const { groups } = await this.rpc.call(orchestratorFrictionSummary, {
      since: query.since.toISOString(),
      ...(repos ? { repos } : {}),
      ...(query.kind ? { kind: query.kind } : {}),
      minRuns: query.minRuns,
      limit: 200,
    });
    const member = (repo: string) => satisfies(roleIn(viewer.grants, repo), 'member');
    return {
      since: query.since.toISOString(),
      groups,
      retroRepos: [...new Set(groups.map((g) => g.repo))].filter(member),
    };
  }

  /** Each visible repository's runs and merges per week since then. */
  async trends(viewer: Viewer, since: Date): Promise<TrendsView> {
    const visible = visibleRepos(viewer.grants);
    const { rows } = await this.rpc.call(orchestratorRepoTrends, {
      since: since.toISOString(),
      bucket: 'week',
      ...(visible.all ? {} : { repos: [...visible.repos] }),
    });
    return { since: since.toISOString(), rows };
  }

  async startRetro(viewer: Viewer, request: { repo: string; since: Date }): Promise<RetroStarted> {
    if (!satisfies(roleIn(viewer.grants, request.repo), 'member')) throw new NotPermitted(request.repo);
    const ownerId = await this.identityOf(viewer.personId);
    const started = await this.rpc
      .call(orchestratorCreateRetro, {
        retroId: randomUUID(),
        repo: request.repo,
        since: request.since.toISOString(),
        ownerId,
        requestedBy: `console:${viewer.name}`,
      })
      .catch((err: unknown) => {
        if (err instanceof RpcError && err.code === 'nothing_to_fix')
          throw new NothingToFix(err.message.replace(`${orchestratorCreateRetro.subject}: `, ''));
        throw err;
      });
    await this.audit.record({
      personId: viewer.personId,
      actor: viewer.name,
      action: 'retro.started',
      target: started.workItemId,
      detail: { repo: request.repo, since: request.since.toISOString(), papercuts: started.papercuts },
    });
    return started;
  }
}

import { Injectable } from '@nestjs/common';
import type { DataOf, ReplyOf, orchestratorCreateRetro } from '@horizon/contracts';
import { RETRO_PAPERCUTS, retroBrief } from '../domain';
import { RunFrictionRepository } from '../persistence/run-friction.repository';
import { WorkItemRepository } from '../persistence/work-item.repository';
import { Transactor, UnitOfWork } from './unit-of-work';
import { WorkItemService } from './work-item.service';

/** A retro request refused; `code` is what the RPC answers, the message says what to do. */
export class RetroRequestError extends Error {
  constructor(
    readonly code: 'nothing_to_fix',
    message: string,
  ) {
    super(message);
    this.name = 'RetroRequestError';
  }
}

export type RetroRequest = DataOf<typeof orchestratorCreateRetro> & {
  /** More for the agent to weigh (a scheduled retro's prompt). */
  focus?: string;
  labels?: string[];
};
type RetroRecorded = ReplyOf<typeof orchestratorCreateRetro>;

/**
 * Starts retros: a `retro` work item whose task is the papercuts the repository's runs met
 * since a time, read in the same transaction that records it. Its run (a plan sandbox) answers
 * with proposed fixes, which `PlanRecorder` keeps as planned items waiting for people.
 */
@Injectable()
export class RetroService {
  constructor(
    private readonly transactor: Transactor,
    private readonly items: WorkItemRepository,
    private readonly workItems: WorkItemService,
    private readonly friction: RunFrictionRepository,
  ) {}

  /** On request (the API, the CLI, the console): refused when there is nothing to fix. */
  async create(request: RetroRequest): Promise<RetroRecorded> {
    const result = await this.transactor.run(null, null, (uow) => this.record(uow, request));
    if (!result.applied) throw new Error('recording the retro was not applied');
    if ('nothing' in result.value) throw new RetroRequestError('nothing_to_fix', result.value.nothing);
    return result.value;
  }

  /** In the caller's unit of work (a schedule's tick); the same id again answers the retro it made. */
  async record(uow: UnitOfWork, request: RetroRequest): Promise<RetroRecorded | { nothing: string }> {
    const since = new Date(request.since);
    const rejected = await this.friction.rejected(uow.tx, request.repo);
    const groups = (
      await this.friction.summary(
        { since, repos: [request.repo], minRuns: 1, limit: RETRO_PAPERCUTS + rejected.size },
        uow.tx,
      )
    )
      .filter((g) => !rejected.has(g.signature))
      .slice(0, RETRO_PAPERCUTS);
    const answer = { workItemId: request.retroId, papercuts: groups.length, rejected: [...rejected] };
    if (await this.items.get(uow.tx, request.retroId)) return answer;
    if (groups.length === 0) {
      const other = rejected.size > 0 ? ' other than those whose fixes were rejected before' : '';
      return {
        nothing: `no run on ${request.repo} met a papercut${other} since ${request.since}: nothing for a retro; try a longer span`,
      };
    }
    const brief = retroBrief({ repo: request.repo, since, groups, rejected: [...rejected] });
    const focus = request.focus?.trim() ? `\n\nAlso: ${request.focus.trim()}` : '';
    await this.workItems.record(
      uow,
      {
        id: request.retroId,
        kind: 'retro',
        repo: request.repo,
        title: brief.title,
        description: brief.description + focus,
        priority: 3,
        labels: request.labels ?? [],
        autoStart: true,
        ownerId: request.ownerId,
        sourceRefs: {},
      },
      [],
      { by: 'request', cause: `retro asked for by ${request.requestedBy}` },
      request.requestedBy,
    );
    return answer;
  }
}

import { Injectable } from '@nestjs/common';
import { notifyDeliver, workItemCreated, workItemFollowUp } from '@horizon/contracts';
import type { FollowUpOrigin, SourceRefs } from '@horizon/contracts';
import {
  AutomationCandidate,
  AutomationPolicy,
  DependencyCycleError,
  DependencyGraph,
  PullRequestTarget,
  decideAfterMerge,
  decideStart,
  isTerminal,
} from '../domain';
import { RunRepository } from '../persistence/run.repository';
import { NewWorkItem, WorkItemRepository, WorkItemRow } from '../persistence/work-item.repository';
import { activeStates } from '../settings';
import { RunLauncher } from './run-launcher';
import { requestSnapshotRefreshAfterMerge } from './snapshot-refresh';
import { UnitOfWork } from './unit-of-work';
import { WorkItemTransitions, pullRequestRef, sourceRefsOf } from './work-item-transitions';

/** How a newly recorded item is placed: by the dependency and automation rules, or started at once. */
export type Placement =
  | { readonly by: 'policy' }
  | { readonly by: 'request'; readonly cause: string }
  /** Recorded to wait for a human (`planned`) unless blockers hold it (`blocked`). */
  | { readonly by: 'hold'; readonly cause: string }
  | { readonly by: 'refusal'; readonly cause: string };

function candidateOf(item: WorkItemRow): AutomationCandidate {
  return {
    autoStart: item.autoStart,
    repo: item.repo,
    labels: item.labels,
    // Items a plan run carved out are its children; fleet children have their own kind.
    createdByPmAgent: item.parentId !== null && item.kind === 'implement',
  };
}

/** Work-item use cases: recording, dependencies, cancellation, merge, revision and follow-ups. */
/**
 * Ingress messages are handled concurrently, so an item may arrive before the blocker it names
 * has been recorded. Its transaction is rolled back and retried a few times before the blocker
 * is declared unknown.
 */
export const BLOCKER_WAIT_DELIVERIES = 3;

export class BlockersNotYetRecordedError extends Error {
  constructor(readonly blockerIds: readonly string[]) {
    super(`blocker(s) not recorded yet: ${blockerIds.join(', ')}; retrying`);
    this.name = 'BlockersNotYetRecordedError';
  }
}

@Injectable()
export class WorkItemService {
  private readonly policy = new AutomationPolicy();

  constructor(
    private readonly items: WorkItemRepository,
    private readonly runs: RunRepository,
    private readonly transitions: WorkItemTransitions,
    private readonly launcher: RunLauncher,
  ) {}

  /**
   * Records a new item with its blockers and places it (`blocked`, `queued` or `planned`).
   * An unknown blocker or a dependency cycle fails the item with the reason.
   */
  async record(
    uow: UnitOfWork,
    item: Omit<NewWorkItem, 'at'>,
    blockedBy: readonly string[],
    placement: Placement,
    actor: string,
  ): Promise<WorkItemRow> {
    let row = await this.items.create(uow.tx, { ...item, at: uow.now });
    uow.emit(workItemCreated, {
      workItemId: row.id,
      kind: row.kind,
      state: row.state,
      repo: row.repo,
      title: row.title,
      ownerId: row.ownerId,
      sourceRefs: item.sourceRefs,
    });
    if (placement.by === 'refusal')
      return this.transitions.move(uow, row, 'failed', placement.cause, { actor });
    if (blockedBy.length === 0) {
      const decision = decideStart(row.id, candidateOf(row), new DependencyGraph(), new Map(), this.policy);
      const [to, cause] =
        placement.by === 'request'
          ? (['queued', placement.cause] as const)
          : placement.by === 'hold'
            ? (['planned', placement.cause] as const)
            : [decision.to, decision.cause];
      return this.transitions.move(uow, row, to, cause, { actor });
    }
    const found = new Set((await this.items.getMany(uow.tx, blockedBy)).map((b) => b.id));
    const unknown = blockedBy.filter((id) => !found.has(id));
    if (unknown.length > 0 && uow.deliveryCount < BLOCKER_WAIT_DELIVERIES) {
      throw new BlockersNotYetRecordedError(unknown);
    }
    if (unknown.length > 0) {
      return this.transitions.move(uow, row, 'failed', `unknown blocker(s): ${unknown.join(', ')}`, {
        actor,
      });
    }
    const graph = await this.graphWith(uow, row.id, blockedBy);
    if (graph instanceof DependencyCycleError) {
      return this.transitions.move(uow, row, 'failed', graph.message, { actor });
    }
    await this.items.addDependencies(
      uow.tx,
      graph.edges().filter((e) => e.blockedId === row.id),
    );
    const states = await this.items.statesOf(uow.tx, blockedBy);
    const decision = decideStart(row.id, candidateOf(row), graph, states, this.policy);
    if (placement.by === 'request' && decision.to !== 'blocked') {
      row = await this.transitions.move(uow, row, 'queued', placement.cause, { actor });
    } else if (placement.by === 'hold' && decision.to !== 'blocked') {
      row = await this.transitions.move(uow, row, 'planned', placement.cause, { actor });
    } else {
      row = await this.transitions.move(uow, row, decision.to, decision.cause, { actor });
    }
    return row;
  }

  /**
   * Adds blockers to an item that has not started: refused (item unchanged, refusal audited with
   * the cycle named) when one would close a cycle.
   */
  async addBlockers(
    uow: UnitOfWork,
    item: WorkItemRow,
    blockedBy: readonly string[],
    actor: string,
  ): Promise<void> {
    const known = new Set((await this.items.edgesInto(uow.tx, [item.id])).map((e) => e.blockerId));
    const added = blockedBy.filter((id) => !known.has(id));
    if (added.length === 0) return;
    const refuse = (cause: string) =>
      this.items.recordAudit(uow.tx, {
        workItemId: item.id,
        runId: null,
        actor,
        action: 'dependency_refused',
        cause,
        at: uow.now,
        data: { blockedBy: added },
      });
    if (!['received', 'planned', 'queued', 'blocked'].includes(item.state)) {
      return refuse(`blockers cannot be added in state ${item.state}: its work has started or ended`);
    }
    const found = new Set((await this.items.getMany(uow.tx, added)).map((b) => b.id));
    const unknown = added.filter((id) => !found.has(id));
    if (unknown.length > 0) return refuse(`unknown blocker(s): ${unknown.join(', ')}`);
    const graph = await this.graphWith(uow, item.id, added);
    if (graph instanceof DependencyCycleError) return refuse(graph.message);
    await this.items.addDependencies(
      uow.tx,
      added.map((blockerId) => ({ blockerId, blockedId: item.id })),
    );
    const pending = graph.pendingBlockersOf(
      item.id,
      await this.items.statesOf(uow.tx, graph.blockersOf(item.id)),
    );
    if (pending.length > 0 && item.state !== 'blocked') {
      await this.transitions.move(uow, item, 'blocked', `waiting on ${pending.join(', ')}`, { actor });
    }
  }

  /** The graph downstream of `id` plus its existing and proposed blockers, or the cycle they would close. */
  private async graphWith(
    uow: UnitOfWork,
    id: string,
    blockedBy: readonly string[],
  ): Promise<DependencyGraph | DependencyCycleError> {
    const edges = [
      ...(await this.items.downstreamEdges(uow.tx, [id])),
      ...(await this.items.edgesInto(uow.tx, [id])),
    ];
    const ids = new Set([id, ...blockedBy, ...edges.flatMap((e) => [e.blockerId, e.blockedId])]);
    const titles = new Map((await this.items.getMany(uow.tx, [...ids])).map((i) => [i.id, i.title]));
    const graph = new DependencyGraph(edges, { describe: (x) => titles.get(x) ?? x });
    try {
      for (const blockerId of blockedBy) graph.addBlocker(blockerId, id);
    } catch (err) {
      if (err instanceof DependencyCycleError) return err;
      throw err;
    }
    return graph;
  }

  /** planned → queued when a human (or the tracker) starts it; anything else is audited and left. */
  async start(uow: UnitOfWork, item: WorkItemRow, cause: string, actor: string): Promise<void> {
    if (item.state === 'planned') {
      await this.transitions.move(uow, item, 'queued', cause, { actor });
      return;
    }
    await this.ignore(uow, item, actor, `start requested (${cause}) but it is ${item.state}`);
  }

  /** Cancels the item; a run in flight ends `cancelled` and its sandbox is told to stop. */
  async cancel(uow: UnitOfWork, item: WorkItemRow, reason: string, actor: string): Promise<void> {
    if (isTerminal(item.state) || !this.transitions.can(item, 'cancelled')) {
      return this.ignore(uow, item, actor, `cancel (${reason}) ignored in state ${item.state}`);
    }
    const run = [...activeStates, 'waiting'].includes(item.state) // a run held at its budget is in flight too
      ? await this.launcher.stopActiveRun(uow, item, 'cancelled', reason)
      : null;
    await this.transitions.move(uow, item, 'cancelled', reason, { actor, runId: run?.id ?? null });
  }

  /**
   * The PR merged: → merged, the tracker issue marked done (a notify command), → done; then every
   * item it held back is placed again, and sandbox-manager is asked to rebuild the repository's
   * snapshots if the merge changed their setup inputs; all in the same transaction.
   */
  async merge(uow: UnitOfWork, item: WorkItemRow, pr: PullRequestTarget, actor: string): Promise<void> {
    if (!this.transitions.can(item, 'merged')) {
      return this.ignore(
        uow,
        item,
        actor,
        `pull request #${pr.number} merged while the item is ${item.state}`,
      );
    }
    const run =
      item.state === 'revising'
        ? await this.launcher.stopActiveRun(uow, item, 'cancelled', 'pull request merged')
        : null;
    const sourceRefs = { ...sourceRefsOf(item), pullRequest: pullRequestRef(pr) };
    const merged = await this.transitions.move(
      uow,
      item,
      'merged',
      `pull request #${pr.number} merged by ${actor}`,
      { actor, runId: run?.id ?? null, changes: { sourceRefs } },
    );
    requestSnapshotRefreshAfterMerge(uow, item.repo);
    await this.complete(uow, merged, actor);
    await this.releaseDependents(uow, merged.id);
  }

  /** merged → done, telling the notifier to mark the tracker issue done (also the watchdog's re-send). */
  async complete(uow: UnitOfWork, item: WorkItemRow, actor: string): Promise<void> {
    const issue = sourceRefsOf(item).trackerIssue;
    if (issue) {
      uow.emit(notifyDeliver, {
        channel: issue.provider === 'linear' ? 'linear' : 'console',
        target: { issueId: issue.id, ...(issue.identifier ? { identifier: issue.identifier } : {}) },
        dedupeKey: `workitem:${item.id}:done`,
        title: `Done: ${item.title}`,
        body: 'The pull request was merged; Horizon marks this issue done.',
      });
    }
    const cause = issue
      ? `tracker issue ${issue.identifier ?? issue.id} marked done`
      : 'no tracker issue to mark done';
    await this.transitions.move(uow, item, 'done', cause, { actor });
  }

  private async releaseDependents(uow: UnitOfWork, mergedId: string): Promise<void> {
    const out = await this.items.edgesOutOf(uow.tx, mergedId);
    if (out.length === 0) return;
    const dependents = await this.items.getMany(
      uow.tx,
      out.map((e) => e.blockedId),
    );
    const edges = await this.items.edgesInto(
      uow.tx,
      dependents.map((d) => d.id),
    );
    const merged = await this.items.get(uow.tx, mergedId);
    const graph = new DependencyGraph(edges, {
      describe: (id) => (id === mergedId && merged ? merged.title : id),
    });
    const states = await this.items.statesOf(uow.tx, [
      ...new Set(edges.flatMap((e) => [e.blockerId, e.blockedId])),
    ]);
    const candidates = new Map(dependents.map((d) => [d.id, candidateOf(d)]));
    const byId = new Map(dependents.map((d) => [d.id, d]));
    for (const decision of decideAfterMerge(mergedId, graph, states, candidates, this.policy)) {
      const dependent = byId.get(decision.workItemId) as WorkItemRow;
      if (decision.to !== dependent.state) {
        await this.transitions.move(uow, dependent, decision.to, decision.cause, {
          actor: 'system:dependencies',
        });
      }
    }
  }

  /** Changes requested on an item's PR: in_review → revising with a new run on the same branch. */
  async revise(
    uow: UnitOfWork,
    item: WorkItemRow,
    pr: NonNullable<SourceRefs['pullRequest']>,
    feedback: string,
    actor: string,
  ): Promise<void> {
    if (item.state === 'revising') {
      return this.followUp(uow, item, feedback, { origin: 'github', author: actor });
    }
    if (item.state !== 'in_review') {
      return this.ignore(
        uow,
        item,
        actor,
        `changes requested on #${pr.number} while the item is ${item.state}`,
      );
    }
    await this.startRevision(
      uow,
      item,
      pr,
      feedback,
      actor,
      `changes requested on #${pr.number} by ${actor}`,
    );
  }

  private async startRevision(
    uow: UnitOfWork,
    item: WorkItemRow,
    pr: NonNullable<SourceRefs['pullRequest']>,
    feedback: string,
    actor: string,
    cause: string,
  ): Promise<void> {
    const run = await this.launcher.launch(uow, item, { branch: pr.branch, prompt: feedback });
    await this.transitions.move(uow, item, 'revising', cause, {
      actor,
      runId: run.id,
      changes: { sourceRefs: { ...sourceRefsOf(item), pullRequest: pr }, branch: pr.branch },
    });
  }

  /** Text for work in flight: audited, and published for the runner side. */
  async followUp(
    uow: UnitOfWork,
    item: WorkItemRow,
    text: string,
    from: { origin: FollowUpOrigin; author: string | null },
  ): Promise<void> {
    const run = await this.runs.latestOf(uow.tx, item.id);
    const runId = run && run.outcome === null ? run.id : null;
    const pr = sourceRefsOf(item).pullRequest;
    // Said in the thread (or session) once the PR is open, nothing is running to hear it: it is
    // asked of the PR, as a review would be.
    if (!runId && item.state === 'in_review' && pr) {
      const actor = from.author ?? from.origin;
      return this.startRevision(
        uow,
        item,
        pr,
        text,
        actor,
        `asked in ${from.origin} by ${actor} about #${pr.number}`,
      );
    }
    await this.items.recordAudit(uow.tx, {
      workItemId: item.id,
      runId,
      actor: from.author ?? from.origin,
      action: 'follow_up',
      cause: `follow-up from ${from.origin}`,
      at: uow.now,
      data: { text },
    });
    uow.emit(workItemFollowUp, {
      workItemId: item.id,
      runId,
      text,
      origin: from.origin,
      author: from.author,
    });
  }

  /** Remembers the item's PR, for later events without its branch; a fleet child's links its siblings'. */
  async linkPullRequest(uow: UnitOfWork, item: WorkItemRow, pr: PullRequestTarget): Promise<void> {
    const refs = sourceRefsOf(item);
    if (refs.pullRequest?.number === pr.number) return;
    await this.items.update(uow.tx, item, { sourceRefs: { ...refs, pullRequest: pullRequestRef(pr) } });
    if (refs.fleet) uow.touchFleet(refs.fleet.id, true);
  }

  async ignore(uow: UnitOfWork, item: WorkItemRow | null, actor: string, cause: string): Promise<void> {
    await this.items.recordAudit(uow.tx, {
      workItemId: item?.id ?? null,
      runId: null,
      actor,
      action: 'ignored',
      cause,
      at: uow.now,
    });
  }
}

import {
  orchestratorGetWorkItem,
  orchestratorListWorkItems,
  orchestratorWorkGraph,
  type DataOf,
  type WorkItemSummary,
} from '@horizon/contracts';
import type { RpcClient } from '@horizon/messaging';
import { canSee, roleIn, visibleRepos } from '../domain/access';
import type { BoardItem, BoardView, GraphView, LiveEvent, WorkItemPage } from '../shared/console-api';
import type { EventStream } from '../messaging/event-stream';
import type { Viewer } from './sign-in.service';

export interface BoardFilter {
  state?: DataOf<typeof orchestratorListWorkItems>['state'];
  kind?: DataOf<typeof orchestratorListWorkItems>['kind'];
  repo?: string;
  owner?: string;
  label?: string;
}

/** The most items one board answers: past this the person narrows the filter (`truncated`). */
export const BOARD_LIMIT = 2000;

/** Not found, or not theirs to see: the console answers the same 404 for both. */
export class WorkItemNotFound extends Error {}
/** Visible, but the person's role there is below what was asked. */
export class NotPermitted extends Error {}

/**
 * What the console shows of Horizon's work, read through the orchestrator's RPCs (never its
 * tables) and cut to the repositories the person may see.
 */
export class WorkReader {
  constructor(
    private readonly rpc: RpcClient,
    private readonly events: EventStream,
  ) {}

  async board(viewer: Viewer, filter: BoardFilter): Promise<BoardView> {
    const visible = visibleRepos(viewer.grants);
    const streamSeq = await this.events.position();
    const items: BoardItem[] = [];
    let cursor: string | undefined;
    let truncated = false;
    do {
      const page = await this.rpc.call(orchestratorListWorkItems, {
        state: filter.state,
        kind: filter.kind,
        repo: filter.repo,
        limit: 200,
        ...(cursor ? { cursor } : {}),
      });
      for (const item of page.items)
        if (canSee(visible, item.repo) && matches(item, filter)) items.push(boardItem(item));
      cursor = page.nextCursor ?? undefined;
      if (items.length >= BOARD_LIMIT && cursor) truncated = true;
    } while (cursor && !truncated);
    return { items: items.slice(0, BOARD_LIMIT), streamSeq, truncated };
  }

  async item(viewer: Viewer, workItemId: string): Promise<WorkItemPage> {
    const streamSeq = await this.events.position();
    const { workItem } = await this.rpc.call(orchestratorGetWorkItem, { workItemId });
    if (!workItem || !roleIn(viewer.grants, workItem.repo)) throw new WorkItemNotFound(workItemId);
    return { workItem, streamSeq };
  }

  async graph(viewer: Viewer, scope: { parentId?: string; repo?: string }): Promise<GraphView> {
    if (scope.repo && !roleIn(viewer.grants, scope.repo)) throw new NotPermitted(scope.repo);
    const streamSeq = await this.events.position();
    const graph = await this.rpc.call(orchestratorWorkGraph, scope);
    const visible = visibleRepos(viewer.grants);
    const nodes = graph.nodes.filter((n) => canSee(visible, n.repo));
    const shown = new Set(nodes.map((n) => n.id));
    return {
      nodes: nodes.map(boardItem),
      edges: graph.edges.filter((e) => shown.has(e.from) && shown.has(e.to)),
      streamSeq,
    };
  }

  /**
   * Whether the person may see a live event: every event names its work item; the item's
   * repository is remembered from `created` events and asked of the orchestrator otherwise.
   */
  async maySee(viewer: Viewer, event: LiveEvent, repos: Map<string, string>): Promise<boolean> {
    const visible = visibleRepos(viewer.grants);
    if (visible.all) return true;
    const workItemId = typeof event.data.workItemId === 'string' ? event.data.workItemId : null;
    if (!workItemId) return false;
    if (typeof event.data.repo === 'string') repos.set(workItemId, event.data.repo);
    let repo = repos.get(workItemId);
    if (!repo) {
      const { workItem } = await this.rpc.call(orchestratorGetWorkItem, { workItemId });
      if (!workItem) return false;
      repo = workItem.repo;
      repos.set(workItemId, repo);
    }
    return canSee(visible, repo);
  }
}

function matches(item: WorkItemSummary, filter: BoardFilter): boolean {
  if (filter.owner && item.ownerId !== filter.owner) return false;
  if (filter.label && !item.labels.includes(filter.label)) return false;
  return true;
}

function boardItem(item: WorkItemSummary): BoardItem {
  const pr = (
    item.sourceRefs as { pullRequest?: { provider: 'github' | 'local'; number: number; url?: string } }
  ).pullRequest;
  return {
    ...item,
    pullRequest: pr ? { number: pr.number, url: pr.url ?? null, provider: pr.provider } : null,
  };
}

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LocalForgeClient as ForgeClient, forgeLogin } from '@horizon/local-forge-client';
import {
  identityLink,
  identityResolve,
  ingressCreateApiToken,
  orchestratorGetWorkItem,
  orchestratorListWorkItems,
} from '@horizon/contracts';
import type { BrowserCheckResult, SourceRefs, WorkItemDetail } from '@horizon/contracts';
import type { RpcClient } from '@horizon/messaging';
import { ROOT } from '../../endpoints';
import { requestJson } from '../http';
import {
  DEMO_PROJECT,
  DEMO_REPO,
  DEMO_REPO_NAME,
  DEMO_REVIEWER,
  DemoObservation,
  ObservedItem,
  ObservedPullRequest,
} from './demo-scenario';

const TEMPLATE = path.join(ROOT, 'apps', 'cli', 'demo', 'cart');

export interface DemoRun {
  id: string;
  workItemId: string;
  attempt: number;
  outcome: string | null;
  queuedAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  verification: { command: string; exitCode: number; durationMs: number }[];
  browser: BrowserCheckResult[];
}

export interface LocalPerson {
  identityId: string;
  displayName: string;
  login: string;
}

/** `git config user.name`, when git has one for this user. */
function gitUserName(): string | null {
  try {
    const name = execFileSync('git', ['config', 'user.name'], { stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
    return name || null;
  } catch {
    return null;
  }
}

export interface DemoTransition {
  workItemId: string;
  from: string;
  to: string;
  cause: string;
  at: Date;
}

/**
 * Everything the demo touches: it acts only through the APIs a person would use (the work API
 * to ask for the plan, the forge's API to review and merge) and watches through the
 * services' RPCs (ingress makes its token; the orchestrator answers for work items and runs).
 */
export class DemoWorld {
  private readonly forge: ForgeClient;

  constructor(
    private readonly rpc: Pick<RpcClient, 'call'>,
    private readonly urls: { ingress: string; forge: string },
    forgeToken: string,
  ) {
    this.forge = new ForgeClient({ baseUrl: urls.forge, token: forgeToken, user: DEMO_REVIEWER });
  }

  /** The sample repository on the forge: imported from `apps/cli/demo/cart` unless it exists. */
  async ensureSampleRepository(): Promise<'created' | 'existing'> {
    const existing = await this.forge.listRepositories();
    if (existing.some((r) => r.owner === DEMO_REPO.owner && r.name === DEMO_REPO.name)) return 'existing';
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'horizon-demo-'));
    try {
      fs.cpSync(TEMPLATE, dir, { recursive: true });
      const git = (...args: string[]) =>
        execFileSync('git', args, {
          cwd: dir,
          stdio: 'pipe',
          env: {
            ...process.env,
            GIT_AUTHOR_NAME: 'Horizon demo',
            GIT_AUTHOR_EMAIL: 'demo@horizon.local',
            GIT_COMMITTER_NAME: 'Horizon demo',
            GIT_COMMITTER_EMAIL: 'demo@horizon.local',
          },
        });
      git('init', '-q', '-b', 'main');
      git('add', '-A');
      git('commit', '-q', '-m', 'Cart: price a line');
      await this.forge.createRepository({ ...DEMO_REPO, from: dir });
      return 'created';
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  /**
   * The person running the demo, as a team would see them: an identity with a `local` forge
   * account named after them (`git config user.name`, else their login on this machine), so
   * the pull requests are theirs and the commits carry their `Co-authored-by`. Made once per
   * installation, found again on the next run.
   */
  async ensureLocalPerson(): Promise<LocalPerson> {
    const displayName = gitUserName() ?? os.userInfo().username;
    const login = forgeLogin(displayName, 'demo-owner');
    const found = await this.rpc.call(identityResolve, { provider: 'local', externalId: login });
    const identity =
      found.identity ??
      (await this.rpc.call(identityLink, { displayName, provider: 'local', externalId: login, login }))
        .identity;
    return { identityId: identity.id, displayName: identity.displayName, login };
  }

  /**
   * Asks for the plan through the work API, with a token of its own, owned by `owner` (null:
   * nobody, and the pull requests are `horizon[bot]`'s). Returns the plan's id.
   */
  async requestPlan(owner: string | null): Promise<string> {
    const token = await this.rpc.call(ingressCreateApiToken, {
      name: 'horizon demo',
      scopes: ['work:read', 'work:write'],
      expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
    });
    const answer = await requestJson<{ id: string }>('ingress', `${this.urls.ingress}/api/v1/work-items`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        repo: DEMO_REPO_NAME,
        kind: 'plan',
        title: DEMO_PROJECT.title,
        description: DEMO_PROJECT.description,
        ...(owner ? { owner } : {}),
      }),
    });
    return answer.id;
  }

  /**
   * The plan and its children as they stand, and every transition they made so far: one read of
   * each item per call (the demo calls this twice a second while it runs).
   */
  async observe(planId: string): Promise<{ observed: DemoObservation; transitions: DemoTransition[] }> {
    // The plan's children oldest first: the order its plan gave them.
    const children = (await this.rpc.call(orchestratorListWorkItems, { parentId: planId, limit: 200 })).items
      .map((c) => c.id)
      .reverse();
    const details = await this.details([planId, ...children]);
    const items = await Promise.all(
      details.map(async (item): Promise<ObservedItem> => ({
        id: item.id,
        title: item.title,
        state: item.state,
        transitions: transitionsOf(item).map((t) => `${t.from}→${t.to}`),
        lastRunOutcome: item.runs.at(-1)?.outcome ?? null,
        pullRequest: await this.pullRequestOf(item.sourceRefs as SourceRefs, item.state === 'in_review'),
      })),
    );
    return {
      observed: {
        plan: items.find((i) => i.id === planId) ?? null,
        children: items.filter((i) => i.id !== planId),
      },
      transitions: inOrder(details.flatMap(transitionsOf)),
    };
  }

  async transitions(workItemIds: string[]): Promise<DemoTransition[]> {
    return inOrder((await this.details(workItemIds)).flatMap(transitionsOf));
  }

  async runs(workItemIds: string[]): Promise<DemoRun[]> {
    return (await this.details(workItemIds))
      .flatMap((item) =>
        item.runs.map((r) => ({
          id: r.id,
          workItemId: item.id,
          attempt: r.attempt,
          outcome: r.outcome,
          queuedAt: new Date(r.queuedAt),
          startedAt: r.startedAt === null ? null : new Date(r.startedAt),
          finishedAt: r.finishedAt === null ? null : new Date(r.finishedAt),
          verification: r.verification,
          browser: r.browser,
        })),
      )
      .sort((a, b) => a.queuedAt.getTime() - b.queuedAt.getTime());
  }

  /** The items the orchestrator knows, with their runs and timelines, in the order asked. */
  private async details(workItemIds: string[]): Promise<WorkItemDetail[]> {
    const answers = await Promise.all(
      workItemIds.map((workItemId) => this.rpc.call(orchestratorGetWorkItem, { workItemId })),
    );
    return answers.flatMap((a) => (a.workItem ? [a.workItem] : []));
  }

  async requestChanges(pr: ObservedPullRequest, body: string): Promise<void> {
    await this.forge.review(DEMO_REPO.owner, DEMO_REPO.name, pr.number, { event: 'REQUEST_CHANGES', body });
  }

  async approveAndMerge(pr: ObservedPullRequest): Promise<void> {
    await this.forge.review(DEMO_REPO.owner, DEMO_REPO.name, pr.number, {
      event: 'APPROVE',
      body: 'Thanks, approved.',
    });
    await this.forge.merge(DEMO_REPO.owner, DEMO_REPO.name, pr.number);
  }

  /** The item's pull request; the forge is asked for its reviews only when `inReview`. */
  private async pullRequestOf(refs: SourceRefs, inReview: boolean): Promise<ObservedPullRequest | null> {
    const ref = refs.pullRequest;
    if (!ref) return null;
    const url = ref.url ?? `${this.urls.forge}/${DEMO_REPO_NAME}/pull/${ref.number}`;
    if (!inReview) return { number: ref.number, url, review: null };
    const [pull, reviews] = await Promise.all([
      this.forge.pull(DEMO_REPO.owner, DEMO_REPO.name, ref.number),
      this.forge.reviews(DEMO_REPO.owner, DEMO_REPO.name, ref.number),
    ]);
    return { number: ref.number, url, review: { states: reviews.map((r) => r.state), merged: pull.merged } };
  }
}

const inOrder = (transitions: DemoTransition[]) =>
  transitions.sort((a, b) => a.at.getTime() - b.at.getTime());

function transitionsOf(item: WorkItemDetail): DemoTransition[] {
  return item.timeline
    .filter((e) => e.action === 'transition')
    .map((e) => ({
      workItemId: item.id,
      from: e.fromState ?? '',
      to: e.toState ?? '',
      cause: e.cause,
      at: new Date(e.at),
    }));
}

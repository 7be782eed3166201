import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { PrismaClient } from '@horizon/db';
import { LocalForgeClient as ForgeClient } from '@horizon/local-forge-client';
import type { SourceRefs } from '@horizon/contracts';
import { createApiToken } from '../../../../ingress/src/api/api-tokens';
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

const TEMPLATE = path.resolve(__dirname, '..', '..', '..', 'demo', 'cart');

export interface DemoRun {
  workItemId: string;
  attempt: number;
  outcome: string | null;
  queuedAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  verification: { command: string; exitCode: number; durationMs: number }[];
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
 * to ask for the plan, the forge's API to review and merge) and watches Postgres, read-only.
 */
export class DemoWorld {
  private readonly forge: ForgeClient;

  constructor(
    private readonly prisma: PrismaClient,
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

  /** Asks for the plan through the work API, with a token of its own. Returns the plan's id. */
  async requestPlan(): Promise<string> {
    const token = await createApiToken(this.prisma, {
      name: 'horizon demo',
      scopes: ['work:read', 'work:write'],
      expiresAt: new Date(Date.now() + 86_400_000),
    });
    const answer = await requestJson<{ id: string }>('ingress', `${this.urls.ingress}/api/v1/work-items`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        repo: DEMO_REPO_NAME,
        kind: 'plan',
        title: DEMO_PROJECT.title,
        description: DEMO_PROJECT.description,
      }),
    });
    return answer.id;
  }

  async observe(planId: string): Promise<DemoObservation> {
    const rows = await this.prisma.workItem.findMany({
      where: { OR: [{ id: planId }, { parentId: planId }] },
      orderBy: [{ createdAt: 'asc' }],
    });
    const transitions = await this.transitions(rows.map((r) => r.id));
    const runs = await this.runs(rows.map((r) => r.id));
    const lastOutcome = (id: string) => runs.filter((r) => r.workItemId === id).at(-1)?.outcome ?? null;
    const items = await Promise.all(
      rows.map(async (row): Promise<ObservedItem> => ({
        id: row.id,
        title: row.title,
        state: row.state,
        transitions: transitions.filter((t) => t.workItemId === row.id).map((t) => `${t.from}→${t.to}`),
        lastRunOutcome: lastOutcome(row.id),
        pullRequest: await this.pullRequestOf(row.sourceRefs as SourceRefs),
      })),
    );
    return {
      plan: items.find((i) => i.id === planId) ?? null,
      children: items.filter((i) => i.id !== planId),
    };
  }

  async transitions(workItemIds: string[], after = new Date(0)): Promise<DemoTransition[]> {
    const rows = await this.prisma.auditEvent.findMany({
      where: { workItemId: { in: workItemIds }, action: 'transition', createdAt: { gt: after } },
      orderBy: [{ createdAt: 'asc' }],
    });
    return rows.map((r) => ({
      workItemId: r.workItemId as string,
      from: r.fromState ?? '',
      to: r.toState ?? '',
      cause: r.cause,
      at: r.createdAt,
    }));
  }

  async runs(workItemIds: string[]): Promise<DemoRun[]> {
    const rows = await this.prisma.run.findMany({
      where: { workItemId: { in: workItemIds } },
      orderBy: [{ queuedAt: 'asc' }],
    });
    return rows.map((r) => ({
      workItemId: r.workItemId,
      attempt: r.attempt,
      outcome: r.outcome,
      queuedAt: r.queuedAt,
      startedAt: r.startedAt,
      finishedAt: r.finishedAt,
      verification: ((r.report as { verification?: DemoRun['verification'] }).verification ?? []).map(
        (v) => ({
          command: v.command,
          exitCode: v.exitCode,
          durationMs: v.durationMs,
        }),
      ),
    }));
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

  private async pullRequestOf(refs: SourceRefs): Promise<ObservedPullRequest | null> {
    const ref = refs.pullRequest;
    if (!ref) return null;
    const [pull, reviews] = await Promise.all([
      this.forge.pull(DEMO_REPO.owner, DEMO_REPO.name, ref.number),
      this.forge.reviews(DEMO_REPO.owner, DEMO_REPO.name, ref.number),
    ]);
    return {
      number: ref.number,
      url: ref.url ?? `${this.urls.forge}/${DEMO_REPO_NAME}/pull/${ref.number}`,
      reviews: reviews.map((r) => r.state),
      merged: pull.merged,
    };
  }
}

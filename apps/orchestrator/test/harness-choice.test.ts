import {
  apiWorkItemCreate,
  linearAgentSession,
  linearIssueChanged,
  sandboxSnapshotBuilt,
  slackAppMention,
  type RepoAgentSettings,
  type WorkItemKind,
} from '@horizon/contracts';
import { createRequest, linearIssueStarted, linearSessionCreated, slackMention } from '@horizon/testing';
import { OrchestratorStack, until } from './harness';

/**
 * Which harness a run uses, through the orchestrator over real Postgres and JetStream: the
 * repository's `.horizon/config.yaml` `agent.harness` (from its snapshot, one name or a map by
 * flavour), an item's `harness:<name>` label over it — however the item's source said it (a
 * label, a Linear issue's label, a phrase in a Slack mention or a Linear request) — and the
 * installation's default for the rest; the choice is recorded on the run and sent to sandbox-manager.
 */
describe('harness choice (orchestrator)', () => {
  let stack: OrchestratorStack;

  beforeAll(async () => {
    // Every run is held where it starts, so the limits must leave room for all of them.
    stack = await OrchestratorStack.start({
      env: { MAX_CONCURRENT_RUNS: '50', MAX_CONCURRENT_RUNS_PER_REPO: '50' },
    });
    stack.standIn.behaviour = () => 'hold';
  });

  afterAll(async () => {
    await stack.stop();
  });

  /** The harness the item's first run was sent with, and the one recorded on it. */
  async function harnessOfRun(workItemId: string) {
    const provision = await until(() => stack.standIn.provisionsFor(workItemId)[0], 'the provision');
    const [run] = await stack.query<{ harness: string }>(`SELECT harness FROM "Run" WHERE id = $1`, [
      provision.data.runId,
    ]);
    return { sent: provision.data.harness, recorded: run!.harness };
  }

  async function harnessOf(repo: string, labels: string[] = [], kind: WorkItemKind = 'implement') {
    const request = createRequest({ title: `work in ${repo}`, repo });
    await stack.publish(apiWorkItemCreate, { ...request, kind, labels });
    return harnessOfRun(request.workItemId);
  }

  /** The first run of the item whose `sourceRefs` hold `value` at `path`. */
  async function harnessOfItemFrom(path: string[], value: string) {
    const item = await until(
      async () => {
        const [row] = await stack.query<{ id: string; labels: string[] }>(
          `SELECT id::text, labels FROM "WorkItem" WHERE "sourceRefs" #>> $1 = $2`,
          [path, value],
        );
        return row;
      },
      `the item of ${path.join('.')} ${value}`,
    );
    return { labels: item.labels, ...(await harnessOfRun(item.id)) };
  }

  async function declare(repo: string, commit: string, agent?: RepoAgentSettings) {
    await stack.publish(sandboxSnapshotBuilt, {
      repo,
      flavour: 'implement',
      commit: commit.repeat(40),
      snapshotId: `snap-${commit}`,
      removed: [],
      ...(agent ? { agent } : {}),
    });
    if (!agent) return;
    const kept = () =>
      stack.query(`SELECT 1 FROM "RepoAgentSettings" WHERE repo = $1 AND commit = $2`, [
        repo,
        commit.repeat(40),
      ]);
    await until(async () => (await kept()).length > 0, 'the repository settings kept');
  }

  it('uses the repository’s harness, an item label over it, and the default elsewhere', async () => {
    await declare('acme/harness-codex', 'c', { harness: 'codex' });
    expect(await harnessOf('acme/harness-codex')).toEqual({ sent: 'codex', recorded: 'codex' });
    expect(await harnessOf('acme/harness-codex', ['harness:opencode'])).toEqual({
      sent: 'opencode',
      recorded: 'opencode',
    });
    expect(await harnessOf('acme/harness-default')).toEqual({ sent: 'opencode', recorded: 'opencode' });
    expect(await harnessOf('acme/harness-default', ['harness:codex'])).toEqual({
      sent: 'codex',
      recorded: 'codex',
    });
    // A snapshot without the section (an older sandbox-manager) changes nothing.
    await declare('acme/harness-codex', 'd');
    expect(await harnessOf('acme/harness-codex')).toEqual({ sent: 'codex', recorded: 'codex' });
  });

  it('uses the repository’s harness for the run’s flavour over its default, and the label over both', async () => {
    await declare('acme/harness-flavours', 'e', { harness: { default: 'codex', plan: 'claude-code' } });
    const [row] = await stack.query(
      `SELECT harness, "harnessByFlavour" FROM "RepoAgentSettings" WHERE repo = 'acme/harness-flavours'`,
    );
    expect(row).toEqual({ harness: 'codex', harnessByFlavour: { plan: 'claude-code' } });
    expect((await harnessOf('acme/harness-flavours', [], 'plan')).sent).toBe('claude-code');
    expect((await harnessOf('acme/harness-flavours')).sent).toBe('codex');
    expect((await harnessOf('acme/harness-flavours', ['harness:opencode'], 'plan')).sent).toBe('opencode');

    // A map without a default leaves the other flavours to the installation's; a name again is every flavour's.
    await declare('acme/harness-flavours', 'f', { harness: { plan: 'codex' } });
    expect((await harnessOf('acme/harness-flavours')).sent).toBe('opencode');
    await declare('acme/harness-flavours', 'a', { harness: 'claude-code' });
    expect((await harnessOf('acme/harness-flavours', [], 'plan')).sent).toBe('claude-code');
  });

  it('takes the harness a Slack mention or a Linear request names, and a Linear issue’s harness label', async () => {
    const mention = slackMention('<@U07HZNBOT> fix the flaky test using codex repo:acme/harness-chat');
    await stack.publish(slackAppMention, mention);
    expect(await harnessOfItemFrom(['slackThread', 'threadTs'], mention.message.threadTs)).toEqual({
      labels: ['harness:codex'],
      sent: 'codex',
      recorded: 'codex',
    });

    const session = linearSessionCreated({
      sessionId: 'session-harness',
      issueId: 'issue-harness-plan',
      title: 'Plan the cart totals',
      description: 'repo:acme/harness-chat',
    });
    await stack.publish(linearAgentSession, { ...session, prompt: '@Horizon plan this with Claude Code' });
    expect((await harnessOfItemFrom(['linearAgentSession', 'id'], 'session-harness')).sent).toBe(
      'claude-code',
    );

    // The label on the issue is the deliberate choice, over a phrase in its text.
    const started = linearIssueStarted('issue-harness-label', 'Fix the flaky test using codex');
    await stack.publish(linearIssueChanged, {
      ...started,
      issue: {
        ...started.issue,
        description: 'repo:acme/harness-chat',
        labels: ['Bug', 'Harness: Claude-Code'],
      },
    });
    expect(await harnessOfItemFrom(['trackerIssue', 'id'], 'issue-harness-label')).toEqual({
      labels: ['Bug', 'Harness: Claude-Code'],
      sent: 'claude-code',
      recorded: 'claude-code',
    });
  });
});

import { apiWorkItemCreate, sandboxSnapshotBuilt } from '@horizon/contracts';
import { createRequest } from '@horizon/testing';
import { OrchestratorStack, until } from './harness';

/**
 * Which harness a run uses, through the orchestrator over real Postgres and JetStream: the
 * repository's `.horizon/config.yaml` `agent.harness` (from its snapshot), an item's
 * `harness:<name>` label over it, and the installation's default for the rest; the choice is
 * recorded on the run and sent to sandbox-manager.
 */
describe('harness choice (orchestrator)', () => {
  let stack: OrchestratorStack;

  beforeAll(async () => {
    stack = await OrchestratorStack.start();
    stack.standIn.behaviour = () => 'hold';
  });

  afterAll(async () => {
    await stack.stop();
  });

  async function harnessOf(repo: string, labels: string[] = []) {
    const request = createRequest({ title: `work in ${repo}`, repo });
    await stack.publish(apiWorkItemCreate, { ...request, labels });
    const provision = await until(() => stack.standIn.provisionsFor(request.workItemId)[0], 'the provision');
    const [run] = await stack.query<{ harness: string }>(`SELECT harness FROM "Run" WHERE id = $1`, [
      provision.data.runId,
    ]);
    return { sent: provision.data.harness, recorded: run!.harness };
  }

  it('uses the repository’s harness, an item label over it, and the default elsewhere', async () => {
    await stack.publish(sandboxSnapshotBuilt, {
      repo: 'acme/harness-codex',
      flavour: 'implement',
      commit: 'c'.repeat(40),
      snapshotId: 'snap-codex',
      removed: [],
      agent: { harness: 'codex' },
    });
    await until(
      async () =>
        (await stack.query(`SELECT 1 FROM "RepoAgentSettings" WHERE repo = 'acme/harness-codex'`)).length > 0,
      'the repository settings kept',
    );
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
    await stack.publish(sandboxSnapshotBuilt, {
      repo: 'acme/harness-codex',
      flavour: 'implement',
      commit: 'd'.repeat(40),
      snapshotId: 'snap-older',
      removed: [],
    });
    expect(await harnessOf('acme/harness-codex')).toEqual({ sent: 'codex', recorded: 'codex' });
  });
});

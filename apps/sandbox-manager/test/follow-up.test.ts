import { randomUUID } from 'node:crypto';
import { workItemFollowUp, type Envelope } from '@horizon/contracts';
import { loadScript, git } from '@horizon/testing';
import { ManagerStack, until } from './support/manager-stack';

// `hzn.evt.workitem.follow_up` on the bus → sandbox-manager → the runner's stdin in a real
// bwrap sandbox → real OpenCode → the scripted model, whose next step only answers a request
// carrying the follow-up; what it asked for ends up in the pushed commit.
jest.setTimeout(90_000);

const gate = '/workspace/.git/horizon-gate';

describe('sandbox-manager passes follow-ups from the bus to the runner', () => {
  let stack: ManagerStack;

  beforeAll(async () => {
    stack = await ManagerStack.start({
      model: {
        script: loadScript('follow-up.yaml'),
        vars: { workdir: '/workspace', gate, followUp: 'changelog' },
      },
      // Any setup is slow here, so the run's friction shows what a slow one records.
      env: { SLOW_SNAPSHOT_BUILD_MS: '0', SLOW_SANDBOX_BOOT_MS: '0' },
    });
  });
  afterAll(() => stack?.close());

  it("one naming no run reaches the work item's run mid-turn, and what it asks is pushed", async () => {
    const runId = randomUUID();
    const workItemId = randomUUID();
    const branch = 'horizon/follow-up';
    const command = await stack.provision(runId, workItemId, branch, 'Make the greeting name Horizon.');
    // The third answer starts the command that waits at the gate: the agent is mid-turn.
    await until(async () => stack.model.agentRequests.length === 3, 'the agent to wait at the gate', 60_000);
    const followUp = await stack.send(workItemFollowUp, {
      workItemId,
      runId: null,
      text: 'Please also add a changelog entry.',
      origin: 'slack',
      author: 'ada',
    });
    const received = await until(
      async () => (await stack.runEvents(runId)).progress.find((e) => e.data.kind === 'follow_up.received'),
      'the follow-up to reach the runner',
    );
    await stack.inside(command.data.sandboxId, `touch ${gate}`);
    const finished = await stack.untilFinished(runId);

    expect(stack.model.failures).toEqual([]);
    expect(stack.model.pendingSteps).toBe(0);
    expect(received.data).toMatchObject({
      workItemId,
      phase: 'harness',
      summary: 'follow-up from ada on Slack: Please also add a changelog entry.',
      detail: { id: followUp.id, origin: 'slack', author: 'ada', passedTo: 'running turn' },
    });
    expect(received.causationId).toBe(command.id);
    expect(stack.model.agentRequests[3]!.body!.messages.at(-1)).toMatchObject({
      role: 'user',
      content: expect.stringContaining('Please also add a changelog entry.'),
    });
    expect(finished.data).toMatchObject({ outcome: 'succeeded', branch });
    // The run waited for its snapshot's build and its sandbox's boot, both over their (zero)
    // thresholds: sandbox-manager's own friction, with no transcript evidence.
    expect(finished.data.friction!.filter((f) => f.kind === 'slow_setup')).toEqual([
      {
        kind: 'slow_setup',
        signature: 'slow_setup:snapshot build',
        summary: expect.stringMatching(/^waited [\d.]+ s for the snapshot build .*, over the 0 s threshold$/),
        count: 1,
        evidence: [],
      },
      {
        kind: 'slow_setup',
        signature: 'slow_setup:sandbox boot',
        summary: expect.stringMatching(
          /^the sandbox boot and workspace checkout took [\d.]+ s, over the 0 s threshold$/,
        ),
        count: 1,
        evidence: [],
      },
    ]);
    // The snapshot built on first use, for this provision, is announced like a refreshed one.
    const events = await stack.events();
    expect(events.filter((e) => e.subject === 'hzn.evt.sandbox.snapshot_built').map((e) => e.data)).toEqual([
      expect.objectContaining({
        repo: 'acme/app',
        flavour: 'implement',
        schedules: [expect.objectContaining({ name: 'nightly-sweep' })],
        retro: { weekly: true },
      }),
    ]);
    expect(
      git(stack.bare, 'show', '--name-only', '--format=', finished.data.commitSha!).split('\n').sort(),
    ).toEqual(['CHANGELOG.md', 'greeting.js']);
  });

  it('acks one for a run that is not on this host, without a dead letter', async () => {
    const before = await stack.acks('sandbox-manager-follow-up');
    const followUp = await stack.send(workItemFollowUp, {
      workItemId: randomUUID(),
      runId: randomUUID(),
      text: 'Anyone there?',
      origin: 'linear',
      author: null,
    });
    await until(
      async () => (await stack.acks('sandbox-manager-follow-up')) > before,
      'the follow-up to be acked',
    );
    const dead = (await stack.fetchAll('DLQ')).map((m) => m.json<Envelope>().id);
    expect(dead).not.toContain(followUp.id);
  });
});

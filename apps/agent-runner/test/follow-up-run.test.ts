import { randomUUID } from 'node:crypto';
import type { RunnerEvent, RunnerFollowUp } from '@horizon/contracts';
import { ScriptedModelServer, git, until } from '@horizon/testing';
import { EventLog } from '@horizon/runner-launch';
import { SandboxRuns } from './support/sandbox-runs';

// Follow-ups on the whole path: written to the bundled runner's stdin in a real bwrap
// sandbox, passed to real OpenCode, seen by the scripted model (whose next step only answers
// a request carrying the follow-up) — and what it asked for ends up in the pushed commit.
jest.setTimeout(90_000);

const task = 'Make the greeting name Horizon.';
const followUpText = 'Please also add a changelog entry.';
/** The gate the scripted agent (or the checks) wait at; `.git/` keeps it out of the commit. */
const gate = '.git/horizon-gate';

describe('follow-ups to a run in a sandbox (bundled runner, real OpenCode, scripted model)', () => {
  const runs = new SandboxRuns();
  const followUp: RunnerFollowUp = {
    type: 'follow_up',
    id: randomUUID(),
    text: followUpText,
    origin: 'slack',
    author: 'ada',
  };
  const userMessages = (server: ScriptedModelServer, request: number) =>
    server.agentRequests[request]!.body!.messages.filter((m) => m.role === 'user').map((m) => m.content);
  const received = (events: RunnerEvent[]) => events.find((e) => e.kind === 'follow_up.received');

  beforeAll(() => runs.start());
  afterAll(() => runs.close());

  it('one that comes while the agent works joins its turn, in the same session, and is done', async () => {
    const branch = `horizon/${randomUUID()}`;
    const server = await ScriptedModelServer.start({
      script: 'follow-up.yaml',
      vars: { workdir: '/workspace', gate: `/workspace/${gate}`, followUp: 'changelog' },
    });
    const followUps = new EventLog<RunnerFollowUp>();
    try {
      const handle = await runs.boot(branch, server.baseUrl);
      const events: RunnerEvent[] = [];
      const running = runs.run(handle, runs.specFor(handle, { branch }), {
        followUps,
        onEvent: (e) => events.push(e),
      });
      // The third answer starts the command that waits at the gate: the agent is mid-turn.
      await until(() => server.agentRequests.length === 3, 'the agent to wait at the gate', 60_000);
      followUps.push(followUp);
      // Redelivered by the bus: passed on once.
      followUps.push(followUp);
      const event = await until(() => received(events), 'the follow-up to be received');
      await runs.inside(handle, `touch ${gate}`);
      const { report } = await running;

      expect(server.failures).toEqual([]);
      expect(server.pendingSteps).toBe(0);
      expect(event.detail).toMatchObject({
        id: followUp.id,
        origin: 'slack',
        author: 'ada',
        passedTo: 'running turn',
      });
      expect(event.summary).toBe(`follow-up from ada on Slack: ${followUpText}`);
      expect(events.filter((e) => e.kind === 'follow_up.received')).toHaveLength(1);
      expect(events.filter((e) => e.kind === 'harness.started')).toHaveLength(1);
      // The model got it as the next user message of the conversation it was in.
      const [first, later] = userMessages(server, 3);
      expect(first).toContain(task);
      expect(later).toContain('A follow-up from ada on Slack');
      expect(later).toContain(followUpText);
      expect(server.agentRequests[3]!.body!.messages.at(-1)!.role).toBe('user');
      // And it changed what the agent did: the changelog is in the pushed commit.
      expect(report).toMatchObject({ outcome: 'succeeded', branch });
      expect(
        git(runs.bare, 'show', '--name-only', '--format=', report.commitSha!).split('\n').sort(),
      ).toEqual(['CHANGELOG.md', 'greeting.js']);
    } finally {
      followUps.close();
      await server.close();
    }
  });

  it('one that comes during the checks gets a turn of its own in the same session, checked again', async () => {
    const branch = `horizon/${randomUUID()}`;
    const server = await ScriptedModelServer.start({
      script: 'follow-up-next-turn.yaml',
      vars: { workdir: '/workspace', followUp: 'changelog' },
    });
    const followUps = new EventLog<RunnerFollowUp>();
    try {
      const handle = await runs.boot(branch, server.baseUrl);
      const events: RunnerEvent[] = [];
      const spec = runs.specFor(handle, {
        branch,
        verify: [`until [ -f ${gate} ]; do sleep 0.1; done`, 'node --test'],
      });
      const running = runs.run(handle, spec, { followUps, onEvent: (e) => events.push(e) });
      await until(() => events.some((e) => e.kind === 'verify.started'), 'the checks to start', 60_000);
      followUps.push(followUp);
      const event = await until(() => received(events), 'the follow-up to be received');
      await runs.inside(handle, `touch ${gate}`);
      const { report } = await running;

      expect(server.failures).toEqual([]);
      expect(server.pendingSteps).toBe(0);
      expect(event.detail).toMatchObject({ passedTo: 'next turn' });
      const turns = events.filter((e) => e.kind === 'harness.started');
      expect(turns.map((e) => e.summary)).toEqual(['opencode started', 'opencode started (follow-up)']);
      // The follow-up's turn continued the conversation: the task, the agent's answer, then it.
      expect(userMessages(server, 3)).toEqual([
        expect.stringContaining(task),
        expect.stringContaining(followUpText),
      ]);
      expect(JSON.stringify(server.agentRequests[3]!.body!.messages)).toContain('Edit applied successfully');
      expect(report.verification.map((v) => [v.round, v.exitCode])).toEqual([
        [0, 0],
        [0, 0],
        [1, 0],
        [1, 0],
      ]);
      expect(report).toMatchObject({ outcome: 'succeeded', branch });
      expect(report.summary).toContain('as the follow-up asked');
      expect(
        git(runs.bare, 'show', '--name-only', '--format=', report.commitSha!).split('\n').sort(),
      ).toEqual(['CHANGELOG.md', 'greeting.js']);
    } finally {
      followUps.close();
      await server.close();
    }
  });
});

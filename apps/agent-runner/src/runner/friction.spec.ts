import { frictionEventSchema } from '@horizon/contracts';
import type { HarnessEvent } from '../harness';
import { FrictionRecorder, signatureText } from './friction';
import { Transcript } from './transcript';

/** A transcript whose entries the recorder reads, as in a run; harness events go in as the session sends them. */
function recording(explorationCalls?: number) {
  const transcript = new Transcript(
    () => undefined,
    () => clock,
  );
  const recorder = new FrictionRecorder(explorationCalls);
  transcript.observe((event) => recorder.observe(event));
  let clock = 0;
  const tool = (
    tool: string,
    input: Record<string, unknown>,
    result: { output?: string; exitCode?: number; status?: 'completed' | 'error'; at?: number } = {},
  ) => {
    if (result.at !== undefined) clock = result.at;
    const event: HarnessEvent = {
      type: 'tool_use',
      at: clock,
      tool,
      callId: `c${clock}`,
      status: result.status ?? 'completed',
      input,
      output: result.output ?? '',
      ...(result.exitCode !== undefined ? { exitCode: result.exitCode } : {}),
    };
    return transcript.harnessEvent(event, 0).seq;
  };
  const shell = (command: string, exitCode: number, output = '') =>
    tool('bash', { command }, { exitCode, output });
  return { transcript, recorder, tool, shell };
}

const byKind = (recorder: FrictionRecorder) => Object.fromEntries(recorder.list().map((e) => [e.kind, e]));

describe('FrictionRecorder', () => {
  it('tells a command that kept failing from one that passed when run again, with the entries that show it', () => {
    const { recorder, shell } = recording();
    const a = shell('npm ci', 1, 'ERESOLVE');
    const b = shell('npm ci', 1, 'ERESOLVE');
    const c = shell('npm ci', 0);
    const d = shell('npm test', 2);
    const events = byKind(recorder);
    expect(events.command_retried).toEqual({
      kind: 'command_retried',
      signature: 'command_retried:npm ci',
      summary: '`npm ci` failed (exit 1), then passed when run again',
      count: 2,
      evidence: [a, b, c],
    });
    expect(events.command_failed).toMatchObject({
      signature: 'command_failed:npm test',
      summary: '`npm test` exited 2',
      count: 1,
      evidence: [d],
    });
    for (const event of recorder.list()) expect(frictionEventSchema.parse(event)).toEqual(event);
  });

  it('names a missing package script (npm, pnpm, yarn) and a missing program (bash, dash, exit 127)', () => {
    const { recorder, shell, tool } = recording();
    const npm = shell(
      'npm run lint',
      1,
      'npm error Missing script: "lint"\nnpm error To see a list of scripts, run:',
    );
    shell('pnpm lint', 1, 'ERR_PNPM_NO_SCRIPT  Missing script: lint');
    shell('yarn run typecheck', 1, 'error Command "typecheck" not found.');
    const bash = shell('jq .name package.json', 127, 'bash: line 1: jq: command not found');
    tool('shell', { command: "/bin/bash -lc 'rg TODO'" }, { exitCode: 127, output: 'sh: 1: rg: not found' });
    const signatures = recorder.list().map((e) => e.signature);
    expect(signatures).toEqual([
      'missing_script:lint',
      'missing_script:typecheck',
      'missing_tool:jq',
      'missing_tool:rg',
    ]);
    expect(recorder.list()[0]).toMatchObject({
      summary: '`npm run lint`: the script "lint" is not declared',
      count: 2,
      evidence: [npm, npm + 1],
    });
    expect(recorder.list()[2]).toMatchObject({ evidence: [bash] });
  });

  it('does not call a passing command friction for what its output says', () => {
    const { recorder, shell } = recording();
    shell('grep -r "Missing script:" docs', 0, 'docs/faq.md: npm says Missing script: "lint"');
    shell('npm test', 0);
    expect(recorder.list()).toEqual([]);
  });

  it('counts the same call made three times and more, not twice', () => {
    const { recorder, tool } = recording();
    tool('read', { filePath: 'src/a.ts' });
    tool('read', { filePath: 'src/a.ts' });
    tool('read', { filePath: 'src/b.ts' });
    expect(recorder.list()).toEqual([]);
    const third = tool('read', { filePath: 'src/a.ts' });
    expect(recorder.list()).toEqual([
      {
        kind: 'repeated_tool_call',
        signature: 'repeated_tool_call:read src/a.ts',
        summary: 'read src/a.ts called 3 times with the same input',
        count: 3,
        evidence: [0, 1, third],
      },
    ]);
  });

  it('measures the exploration before the first edit, and not in a run that explored little', () => {
    const long = recording(5);
    for (let i = 0; i < 6; i++) long.tool('grep', { pattern: `p${i}` }, { at: i * 1000 });
    const edit = long.tool('edit', { filePath: 'src/a.ts' }, { at: 42_000 });
    long.tool('read', { filePath: 'x' });
    expect(byKind(long.recorder).slow_first_edit).toEqual({
      kind: 'slow_first_edit',
      signature: 'slow_first_edit:exploration',
      summary: '6 tool calls (42 s) of exploring before the first edit',
      count: 1,
      evidence: [0, edit],
    });
    const short = recording(5);
    short.tool('read', { filePath: 'x' });
    short.tool('apply_patch', { changes: [] });
    expect(short.recorder.list()).toEqual([]);
  });

  it('records mcp-context errors and a chain of mcp-context calls made more than once', () => {
    const { recorder, tool } = recording();
    const first = tool('horizon_runs_search', { query: 'flaky' });
    tool('horizon_logs_search', { query: 'timeout' });
    tool('read', { filePath: 'x' });
    const second = tool('horizon_runs_search', { query: 'lint' });
    tool('horizon_logs_search', { query: 'lint' });
    const failed = tool('horizon_errors_search', {}, { status: 'error', output: 'Sentry answered 502' });
    const events = byKind(recorder);
    expect(events.mcp_tool_error).toMatchObject({
      signature: 'mcp_tool_error:horizon_errors_search',
      summary: 'the mcp-context tool horizon_errors_search failed: Sentry answered 502',
      evidence: [failed],
    });
    // The second chain goes on to a third call: only the first two recur as the same chain…
    expect(events.mcp_chain).toBeUndefined();
    const { recorder: again, tool: call } = recording();
    for (let i = 0; i < 2; i++) {
      call('horizon_runs_search', { query: `q${i}` });
      call('horizon_repo_conventions', {});
      call('edit', { filePath: `f${i}` });
    }
    expect(byKind(again).mcp_chain).toEqual({
      kind: 'mcp_chain',
      signature: 'mcp_chain:horizon_runs_search>horizon_repo_conventions',
      summary: 'the mcp-context calls horizon_runs_search → horizon_repo_conventions made 2 times',
      count: 2,
      evidence: [0, 3],
    });
    expect(first).toBe(0);
    expect(second).toBe(3);
  });

  it('reads fix rounds, harness errors, git failures and late follow-ups off the runner’s own entries', () => {
    const { recorder, transcript, tool } = recording();
    transcript.emit('verification', 'verify.failed', 'npm test: exit 1 after 20 ms', {
      command: 'npm test',
      round: 0,
      exitCode: 1,
    });
    transcript.harnessEvent({ type: 'error', at: 0, message: 'APIError: overloaded' }, 0);
    tool('webfetch', { url: 'https://x' }, { status: 'error', output: 'egress refused' });
    transcript.emit('push', 'git.failed', 'git push failed: rejected', { subcommand: 'push', exitCode: 1 });
    transcript.emit('harness', 'follow_up.unhandled', '1 follow-up(s) came after the agent’s last turn', {
      count: 1,
    });
    expect(recorder.list().map((e) => [e.kind, e.signature, e.evidence])).toEqual([
      ['verification_round', 'verification_round:npm test', [0]],
      ['harness_error', 'harness_error:APIError: overloaded', [1]],
      ['tool_error', 'tool_error:webfetch', [2]],
      ['git_failed', 'git_failed:push', [3]],
      ['follow_up_unhandled', 'follow_up_unhandled:after the last turn', [4]],
    ]);
  });

  it('gives one papercut the same signature in every run', () => {
    expect(signatureText('node  scripts/seed.js --run 7d3c2a8e-0b9f-4f6a-9a57-2d1c3b4a5e6f')).toBe(
      'node scripts/seed.js --run <id>',
    );
    expect(signatureText('git show 8f3c1e2d4b5a69788796a5b4c3d2e1f0a9b8c7d6')).toBe('git show <sha>');
  });
});

import { agentRunSpecSchema, runnerLineSchema, type AgentRunSpec } from '@horizon/contracts';
import { commitMessage } from './commit-message';
import { fixPrompt, taskPrompt } from './prompts';
import { describeHarnessEvent, Transcript } from './transcript';

const spec: AgentRunSpec = agentRunSpecSchema.parse({
  runId: '7d3c2a8e-0b9f-4f6a-9a57-2d1c3b4a5e6f',
  workItemId: '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
  kind: 'implement',
  prompt: 'Make the greeting name Horizon.\nIt says Hello today.',
  repo: 'acme/app',
  branch: 'horizon/hzn-1',
  baseRef: 'main',
  verify: ['npm run lint', 'npm test'],
  agent: { name: 'Horizon Agent', email: 'agent@horizon.invalid' },
  owner: { name: 'Ada Owner', email: 'ada@example.com' },
  model: { baseUrl: 'http://127.0.0.1:3128/_horizon/model', model: 'm' },
  deadlineAt: '2030-01-01T00:00:00Z',
});

describe('run spec defaults', () => {
  it('gives two fix rounds, no context links and no MCP when left out', () => {
    expect(spec).toMatchObject({ fixRounds: 2, contextLinks: [], mcp: null });
  });
});

describe('prompts', () => {
  it('an implement prompt carries the task, the branch, the checks and the rules', () => {
    const prompt = taskPrompt({ ...spec, contextLinks: [{ title: 'HZN-1', url: 'https://x/HZN-1' }] });
    expect(prompt.startsWith('Make the greeting name Horizon.')).toBe(true);
    expect(prompt).toContain('branch `horizon/hzn-1`');
    expect(prompt).toContain('- HZN-1: https://x/HZN-1');
    expect(prompt).toContain('`npm run lint`, `npm test`');
    expect(prompt).toContain('Do not commit, push or switch branches');
  });

  it('a revise prompt presents the review; a plan prompt asks for no changes and no checks', () => {
    expect(taskPrompt({ ...spec, kind: 'revise', prompt: 'Rename it.' })).toMatch(
      /reviewer asked for changes[^]*Rename it\./,
    );
    const plan = taskPrompt({ ...spec, kind: 'plan' });
    expect(plan).toContain('change no files');
    expect(plan).toContain('"blockedBy": [\n        "A"\n      ]');
    expect(plan).not.toContain('npm test');
  });

  it('a fix prompt names the command, its exit, the round and the end of the log only', () => {
    const log = `${'x'.repeat(10_000)}\nAssertionError: expected 'Hello, Horizon'\n`;
    const prompt = fixPrompt(spec, { command: 'npm test', exitCode: 1, log }, 2);
    expect(prompt).toContain('`npm test` failed (exit 1)');
    expect(prompt).toContain('Fix round 2 of 2');
    expect(prompt).toContain("AssertionError: expected 'Hello, Horizon'");
    expect(prompt.length).toBeLessThan(7000);
    expect(prompt).toContain('Make the greeting name Horizon.');
  });
});

describe('commitMessage', () => {
  it('takes the subject and the why from the summary, and ends with the trailers', () => {
    const message = commitMessage(spec, '## Greet Horizon by name\n\nThe test expects it.', ['greeting.js']);
    expect(message).toBe(
      [
        'Greet Horizon by name',
        '',
        'The test expects it.',
        '',
        'Task: Make the greeting name Horizon.',
        '',
        `Horizon-Work-Item: ${spec.workItemId}`,
        `Horizon-Run: ${spec.runId}`,
        'Co-authored-by: Ada Owner <ada@example.com>',
        'Co-authored-by: Horizon Agent <agent@horizon.invalid>',
        '',
      ].join('\n'),
    );
  });

  it('falls back to the task and the changed files, clips the subject, and skips a missing owner', () => {
    const message = commitMessage({ ...spec, owner: null, kind: 'revise', prompt: 'y'.repeat(100) }, null, [
      'a',
      'b',
    ]);
    const [subject] = message.split('\n');
    expect(subject).toHaveLength(72);
    expect(subject!.startsWith('Address review: yyy')).toBe(true);
    expect(message).toContain('Changed: a, b.');
    expect(message.match(/Co-authored-by/g)).toHaveLength(1);
  });
});

describe('Transcript', () => {
  it('numbers events from 0, writes one JSON line each, then the report, all matching the line schema', () => {
    const lines: string[] = [];
    const transcript = new Transcript(
      (line) => lines.push(line),
      () => 42,
    );
    transcript.emit('provisioning', 'runner.started', 'go');
    transcript.harnessEvent({ type: 'text', at: 1, text: 'Hi\nthere' }, 1);
    expect(lines.map((l) => JSON.parse(l))).toEqual([
      { type: 'event', seq: 0, at: 42, phase: 'provisioning', kind: 'runner.started', summary: 'go' },
      {
        type: 'event',
        seq: 1,
        at: 42,
        phase: 'harness',
        kind: 'text',
        summary: 'Hi there',
        detail: { text: 'Hi\nthere', round: 1 },
      },
    ]);
    for (const line of lines) expect(runnerLineSchema.safeParse(JSON.parse(line)).success).toBe(true);
  });

  it('summarizes tool calls by their target and bounds their output', () => {
    const described = describeHarnessEvent({
      type: 'tool_use',
      at: 1,
      tool: 'bash',
      callId: 'c1',
      status: 'completed',
      input: { command: 'npm test' },
      output: 'o'.repeat(40_000),
      exitCode: 1,
    });
    expect(described.summary).toBe('bash npm test: completed (exit 1)');
    expect(String(described.detail.output).length).toBeLessThan(17_000);
    expect(
      describeHarnessEvent({
        type: 'tool_use',
        at: 1,
        tool: 'edit',
        callId: 'c',
        status: 'error',
        input: { filePath: '/w/a.js' },
        output: 'no',
      }).summary,
    ).toBe('edit /w/a.js: error');
  });
});

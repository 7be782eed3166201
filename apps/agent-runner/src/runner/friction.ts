import type { FrictionEvent, FrictionKind, RunnerEvent } from '@horizon/contracts';
import { oneLine } from './transcript';

/** Tool calls of reading and searching before the first edit past which the exploration is friction. */
export const EXPLORATION_CALLS = 20;
/** Identical calls (same tool, same input) from which the repetition is friction. */
const REPEATED_CALLS = 3;
/** Transcript entries kept as evidence per event. */
const EVIDENCE_LIMIT = 20;

const SHELL_TOOLS = new Set(['bash', 'shell']);
const EDIT_TOOLS = new Set(['edit', 'write', 'patch', 'apply_patch', 'multiedit']);
/** mcp-context's tools, as every harness names them (`horizon_runs_search`). */
const MCP_PREFIX = 'horizon_';

interface Tally {
  kind: FrictionKind;
  summary: string;
  count: number;
  evidence: number[];
}

interface ToolUse {
  seq: number;
  at: number;
  tool: string;
  status: string;
  input: Record<string, unknown>;
  output: string;
  exitCode: number | undefined;
}

/**
 * Friction for the retro loop, read off the run's own transcript so that every event points at
 * the entries that show it: failed and retried commands, missing tools and scripts, fix rounds,
 * repeated calls, long exploration before the first edit, mcp-context errors and recurring
 * chains of mcp-context calls, harness and git failures. The same papercut gets the same
 * signature in every run (see `signatureText`), which is what lets a retro count it.
 */
export class FrictionRecorder {
  private readonly tallies = new Map<string, Tally>();
  /** Failing shell commands by their text: seqs of the failures, and whether it passed after. */
  private readonly failing = new Map<string, { seqs: number[]; passedAt: number | null; exit: number }>();
  private readonly calls = new Map<string, { seqs: number[]; tool: string; target: string }>();
  private chains = new Map<string, number[]>();
  private chain: ToolUse[] = [];
  private toolCalls = 0;
  private firstCall: ToolUse | null = null;
  private edited = false;

  constructor(private readonly explorationCalls = EXPLORATION_CALLS) {}

  observe(event: RunnerEvent): void {
    const detail = event.detail ?? {};
    switch (event.kind) {
      case 'tool_use':
        return this.toolUse(toolUseOf(event, detail));
      case 'error': {
        const message = String(detail.message ?? event.summary);
        this.tally('harness_error', signatureText(oneLine(message, 80)), {
          summary: `the coding agent reported: ${oneLine(message, 200)}`,
          seq: event.seq,
        });
        return;
      }
      case 'verify.failed': {
        const command = String(detail.command ?? '');
        this.tally('verification_round', signatureText(command), {
          summary: `verification \`${oneLine(command, 120)}\` failed (exit ${String(detail.exitCode)})`,
          seq: event.seq,
        });
        return;
      }
      case 'git.failed':
        this.tally('git_failed', String(detail.subcommand ?? 'git'), {
          summary: event.summary,
          seq: event.seq,
        });
        return;
      case 'follow_up.unhandled':
        this.tally('follow_up_unhandled', 'after the last turn', { summary: event.summary, seq: event.seq });
        return;
    }
  }

  /** The run's friction so far, in the order it was first met. */
  list(): FrictionEvent[] {
    const tallies = new Map([...this.tallies].map(([k, t]) => [k, { ...t, evidence: [...t.evidence] }]));
    const add = (kind: FrictionKind, what: string, at: { summary: string; seq: number }) =>
      tally(tallies, kind, what, at);
    for (const [command, f] of this.failing) {
      const kind = f.passedAt === null ? 'command_failed' : 'command_retried';
      const summary =
        f.passedAt === null
          ? `\`${oneLine(command, 120)}\` exited ${f.exit}`
          : `\`${oneLine(command, 120)}\` failed (exit ${f.exit}), then passed when run again`;
      for (const seq of f.seqs) add(kind, signatureText(command), { summary, seq });
      if (f.passedAt !== null) tallies.get(`${kind}:${signatureText(command)}`)!.evidence.push(f.passedAt);
    }
    for (const c of this.calls.values()) {
      if (c.seqs.length < REPEATED_CALLS) continue;
      const summary = `${c.tool} ${oneLine(c.target, 120)} called ${c.seqs.length} times with the same input`;
      for (const seq of c.seqs)
        add('repeated_tool_call', signatureText(`${c.tool} ${c.target}`), { summary, seq });
    }
    for (const [names, seqs] of this.chainsSoFar()) {
      if (seqs.length < 2) continue;
      const summary = `the mcp-context calls ${names.split('>').join(' → ')} made ${seqs.length} times`;
      for (const seq of seqs) add('mcp_chain', names, { summary, seq });
    }
    return [...tallies.entries()]
      .map(([signature, t]) => ({ signature, ...t, evidence: t.evidence.slice(0, EVIDENCE_LIMIT) }))
      .sort((a, b) => (a.evidence[0] ?? 0) - (b.evidence[0] ?? 0));
  }

  private toolUse(use: ToolUse): void {
    this.toolCalls += 1;
    this.firstCall ??= use;
    if (EDIT_TOOLS.has(use.tool) && !this.edited) this.firstEdit(use);
    if (use.tool.startsWith(MCP_PREFIX)) this.mcpCall(use);
    else this.endChain();
    const command = SHELL_TOOLS.has(use.tool) ? shellCommand(use.input) : null;
    if (command !== null) this.shellCall(use, command);
    else if (use.status === 'error' && !use.tool.startsWith(MCP_PREFIX))
      this.tally('tool_error', use.tool, {
        summary: `${use.tool} failed: ${oneLine(use.output, 160)}`,
        seq: use.seq,
      });
    if (command !== null && this.failing.has(command)) return;
    const target = command ?? targetOf(use.input);
    const key = `${use.tool}\u0000${stableJson(use.input)}`;
    const seen = this.calls.get(key) ?? { seqs: [], tool: use.tool, target };
    seen.seqs.push(use.seq);
    this.calls.set(key, seen);
  }

  private shellCall(use: ToolUse, command: string): void {
    const missingScript = MISSING_SCRIPT.map((p) => p.exec(use.output)?.[1]).find(Boolean);
    const failed = use.exitCode !== undefined && use.exitCode !== 0;
    if (failed && missingScript) {
      this.tally('missing_script', missingScript, {
        summary: `\`${oneLine(command, 120)}\`: the script "${missingScript}" is not declared`,
        seq: use.seq,
      });
      return;
    }
    const missingTool = MISSING_TOOL.exec(use.output)?.[1];
    if (failed && (use.exitCode === 127 || missingTool)) {
      const name = missingTool ?? command.split(' ')[0]!;
      this.tally('missing_tool', name, {
        summary: `\`${oneLine(command, 120)}\`: ${name} is not installed in the sandbox`,
        seq: use.seq,
      });
      return;
    }
    const failure = this.failing.get(command);
    if (failed) {
      const f = failure ?? { seqs: [], passedAt: null, exit: use.exitCode! };
      f.seqs.push(use.seq);
      f.exit = use.exitCode!;
      this.failing.set(command, f);
    } else if (use.exitCode === 0 && failure) {
      failure.passedAt ??= use.seq;
    }
  }

  private firstEdit(use: ToolUse): void {
    this.edited = true;
    const before = this.toolCalls - 1;
    if (before < this.explorationCalls || !this.firstCall) return;
    const seconds = Math.round((use.at - this.firstCall.at) / 1000);
    const tally = this.tally('slow_first_edit', 'exploration', {
      summary: `${before} tool calls (${seconds} s) of exploring before the first edit`,
      seq: this.firstCall.seq,
    });
    tally.evidence.push(use.seq);
  }

  private mcpCall(use: ToolUse): void {
    if (use.status === 'error')
      this.tally('mcp_tool_error', use.tool, {
        summary: `the mcp-context tool ${use.tool} failed: ${oneLine(use.output, 160)}`,
        seq: use.seq,
      });
    this.chain.push(use);
  }

  private endChain(): void {
    this.chains = this.chainsSoFar();
    this.chain = [];
  }

  /** The chains of mcp-context calls ended so far, with the one still going. */
  private chainsSoFar(): Map<string, number[]> {
    const chains = new Map(this.chains);
    if (this.chain.length >= 2) {
      const names = this.chain.map((u) => u.tool).join('>');
      chains.set(names, [...(chains.get(names) ?? []), this.chain[0]!.seq]);
    }
    return chains;
  }

  private tally(kind: FrictionKind, what: string, at: { summary: string; seq: number }): Tally {
    return tally(this.tallies, kind, what, at);
  }
}

function tally(
  tallies: Map<string, Tally>,
  kind: FrictionKind,
  what: string,
  at: { summary: string; seq: number },
): Tally {
  const signature = `${kind}:${what}`;
  const t = tallies.get(signature) ?? { kind, summary: at.summary, count: 0, evidence: [] };
  t.count += 1;
  t.evidence.push(at.seq);
  tallies.set(signature, t);
  return t;
}

/** npm 7+ (`Missing script: "lint"`), npm 6 (`missing script: lint`), pnpm, yarn 1 (`Command "lint" not found`). */
const MISSING_SCRIPT = [/[Mm]issing script:\s*"?([\w:.@/-]+)"?/, /error Command "([\w:.@/-]+)" not found/];
/** bash (`foo: command not found`), dash (`sh: 1: foo: not found`). */
const MISSING_TOOL = /(?:^|\n)(?:[\w/.-]+: )?(?:line \d+: |\d+: )?([\w.+-]+): (?:command )?not found\s*$/m;

function toolUseOf(event: RunnerEvent, detail: Record<string, unknown>): ToolUse {
  return {
    seq: event.seq,
    at: event.at,
    tool: String(detail.tool ?? ''),
    status: String(detail.status ?? ''),
    input: isRecord(detail.input) ? detail.input : {},
    output: typeof detail.output === 'string' ? detail.output : '',
    exitCode: typeof detail.exitCode === 'number' ? detail.exitCode : undefined,
  };
}

/** The command a shell call ran, unwrapped from `bash -lc '…'` as Codex reports it. */
function shellCommand(input: Record<string, unknown>): string | null {
  const raw = Array.isArray(input.command) ? input.command.join(' ') : input.command;
  if (typeof raw !== 'string') return null;
  const wrapped = /^(?:\S*\/)?(?:ba|z)?sh\s+-l?c\s+(['"])([^]*)\1$/.exec(raw.trim());
  return (wrapped ? wrapped[2]! : raw).trim().replace(/\s+/g, ' ');
}

/** What a call was about: its path, pattern or query, else its input. */
function targetOf(input: Record<string, unknown>): string {
  for (const key of ['filePath', 'file_path', 'path', 'pattern', 'query', 'url']) {
    if (typeof input[key] === 'string') return input[key] as string;
  }
  return stableJson(input);
}

/** The part of a signature that varies: ids and hashes out, whitespace collapsed, bounded. */
export function signatureText(text: string): string {
  return text
    .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<id>')
    .replace(/\b[0-9a-f]{12,40}\b/g, '<sha>')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 200);
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (isRecord(value))
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson(value[k])}`)
      .join(',')}}`;
  return JSON.stringify(value) ?? 'null';
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

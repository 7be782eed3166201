import type { AgentRunSpec } from '@horizon/contracts';

const SUBJECT_MAX = 72;

/**
 * The commit message: the agent's summary (its first line the subject, the rest the why), the
 * task it answered, and trailers naming the run and crediting the owner and the agent.
 */
export function commitMessage(
  spec: AgentRunSpec,
  summary: string | null,
  changedFiles: readonly string[],
): string {
  const lines = (summary ?? '').split('\n').map((line) =>
    line
      .replace(/^\s*(#+|\*\*)\s*/, '')
      .replace(/\*\*$/, '')
      .trimEnd(),
  );
  const first = lines.findIndex((line) => line.trim() !== '');
  const fallback = `${spec.kind === 'revise' ? 'Address review' : 'Implement'}: ${firstLine(spec.prompt)}`;
  const subject = clip(first >= 0 ? lines[first]!.trim() : fallback, SUBJECT_MAX);
  const why =
    first >= 0
      ? lines
          .slice(first + 1)
          .join('\n')
          .trim()
      : '';
  const body = [
    why || `Changed: ${changedFiles.join(', ')}.`,
    `${spec.kind === 'revise' ? 'Review' : 'Task'}: ${clip(firstLine(spec.prompt), 200)}`,
  ];
  const trailers = [
    `Horizon-Work-Item: ${spec.workItemId}`,
    `Horizon-Run: ${spec.runId}`,
    ...(spec.owner ? [`Co-authored-by: ${spec.owner.name} <${spec.owner.email}>`] : []),
    `Co-authored-by: ${spec.agent.name} <${spec.agent.email}>`,
  ];
  return `${subject}\n\n${body.join('\n\n')}\n\n${trailers.join('\n')}\n`;
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0]!.trim();
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

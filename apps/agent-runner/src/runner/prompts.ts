import { agentReviewExample, planProposalExample } from '@horizon/contracts';
import type { AgentRunSpec, BrowserCheckResult } from '@horizon/contracts';

/** Log tail a fix round shows the agent: the end of the output is where failures are reported. */
export const FIX_LOG_TAIL = 6000;

const closing =
  'Do not commit, push or switch branches: Horizon commits your changes and pushes them. ' +
  'End with a short summary: its first line says what you changed, the lines after it why.';

/**
 * How a plan must be written: Horizon creates one issue per entry, in order, with `blocks`
 * relations from `blockedBy` (see `readPlanProposal`).
 */
const planFormat = [
  'Where the work or its project links documents (requirements or decisions in Notion, mockups in Figma), read them first (`docs_get_page`, `docs_query_database`, `design_get_file`, `design_list_comments`) and cite the ones that shaped an issue in its description, by link. ' +
    'Split the work into issues that can each be reviewed and merged on their own, smallest first. ' +
    'End your answer with the plan as one fenced JSON block of this shape (`blockedBy` lists the keys of issues that must merge first):',
  '```json\n' + JSON.stringify(planProposalExample, null, 2) + '\n```',
].join('\n');

/** The first turn of a run: the task (or the review), where it came from, and the rules. */
export function taskPrompt(spec: AgentRunSpec): string {
  const parts: string[] = [];
  if (spec.kind === 'revise') {
    parts.push(
      `A reviewer asked for changes to the work on branch \`${spec.branch}\` of ${spec.repo}, which is checked out in the current directory. Their review:`,
      spec.prompt,
    );
  } else if (spec.kind === 'plan') {
    parts.push(
      `Plan the following work in ${spec.repo} (checked out in the current directory). Read what you need, change no files, and answer with the plan.`,
      spec.prompt,
      planFormat,
    );
  } else {
    parts.push(
      spec.prompt,
      `Repository: ${spec.repo}, checked out in the current directory on branch \`${spec.branch}\`.`,
    );
  }
  if (spec.contextLinks.length > 0) {
    parts.push(['Context:', ...spec.contextLinks.map((link) => `- ${link.title}: ${link.url}`)].join('\n'));
  }
  if (spec.kind !== 'plan') {
    if (spec.verify.length > 0) {
      parts.push(
        `When you are done, Horizon runs the repository's checks: ${spec.verify.map((c) => `\`${c}\``).join(', ')}.`,
      );
    }
    parts.push(closing);
  }
  return parts.join('\n\n');
}

/** A rebase run's first turn: the base merged into the branch, and the files it left in conflict. */
export function rebasePrompt(spec: AgentRunSpec, conflicts: readonly string[]): string {
  return [
    spec.prompt,
    `Horizon merged \`${spec.baseRef}\` into \`${spec.branch}\` of ${spec.repo} in the current directory; the merge is in progress. Resolve the conflicts so that both sides' changes hold, and remove every conflict marker. Conflicted files:`,
    conflicts.map((file) => `- ${file}`).join('\n'),
    ...(spec.verify.length > 0
      ? [`Horizon then runs the repository's checks: ${spec.verify.map((c) => `\`${c}\``).join(', ')}.`]
      : []),
    closing,
  ].join('\n\n');
}

/** The diff a review prompt shows at most; the agent reads the rest in the checkout. */
export const REVIEW_DIFF_LIMIT = 60_000;

/**
 * A review run's one turn: the repository's own review instructions (`AGENTS.md`,
 * `.horizon/review.md`, as read from the checkout), the pull request's diff, and the shape of
 * the answer Horizon posts as one pull-request review.
 */
export function reviewPrompt(
  spec: AgentRunSpec,
  instructions: readonly { file: string; text: string }[],
  diff: string,
): string {
  const shown = diff.length > REVIEW_DIFF_LIMIT ? `${diff.slice(0, REVIEW_DIFF_LIMIT)}\n… (diff cut)` : diff;
  return [
    `Review a pull request of ${spec.repo}: branch \`${spec.branch}\` into \`${spec.baseRef}\`, checked out in the current directory. Read what you need; change no files, run nothing that writes.`,
    spec.prompt,
    ...instructions.map((i) => `The repository's ${i.file} says:\n${i.text.trim()}`),
    `The diff:\n\`\`\`diff\n${shown.trimEnd()}\n\`\`\``,
    "End your answer with the review as one fenced JSON block of this shape. `verdict` is approve, comment or request_changes; each comment sits on a line of the diff's new side (`line` in the new file); `suggestion`, when you propose code, replaces that line:",
    '```json\n' + JSON.stringify(agentReviewExample, null, 2) + '\n```',
  ].join('\n\n');
}

export interface VerificationFailure {
  command: string;
  exitCode: number;
  log: string;
}

/** A fix round: the failing check and the end of its log, with the task it was for. */
export function fixPrompt(spec: AgentRunSpec, failure: VerificationFailure, round: number): string {
  const log = failure.log.length > FIX_LOG_TAIL ? failure.log.slice(-FIX_LOG_TAIL) : failure.log;
  return [
    `The repository's check \`${failure.command}\` failed (exit ${failure.exitCode}) after your changes. ` +
      `Fix the code so that it passes, without weakening or skipping the check. Fix round ${round} of ${spec.fixRounds}.`,
    `The end of its output:\n\`\`\`\n${log.trimEnd()}\n\`\`\``,
    `The task was:\n${spec.prompt}`,
    closing,
  ].join('\n\n');
}

/** A fix round after the browser check of the preview failed: what it found, page by page. */
export function browserFixPrompt(spec: AgentRunSpec, failure: BrowserCheckResult, round: number): string {
  const problems = failure.problems.join('\n- ');
  return [
    `The repository's checks passed, but Horizon's browser check of the running app (\`${spec.preview?.command}\`) failed. ` +
      `Fix the code so that the pages load without these problems, without weakening the checks in .horizon/verify.yaml. Fix round ${round} of ${spec.fixRounds}.`,
    `What the browser found:\n- ${problems.length > FIX_LOG_TAIL ? `${problems.slice(0, FIX_LOG_TAIL)}…` : problems}`,
    `The task was:\n${spec.prompt}`,
    closing,
  ].join('\n\n');
}

import type { FrictionGroup, PlanProposal, PlannedIssue } from '@horizon/contracts';

/** Papercuts handed to one retro, most runs first: enough to find the patterns, few enough to read. */
export const RETRO_PAPERCUTS = 20;

const KIND_WORDS: Record<FrictionGroup['kind'], string> = {
  command_failed: 'a command that fails',
  command_retried: 'a command that fails, then passes when run again',
  missing_tool: 'a program the sandbox lacks',
  missing_script: 'a package script that is not declared',
  verification_round: 'a check that fails and costs a fix round',
  repeated_tool_call: 'the same call made again and again',
  slow_first_edit: 'long exploration before the first edit',
  mcp_tool_error: 'an mcp-context tool that fails',
  mcp_chain: 'mcp-context calls always made together',
  tool_error: 'a tool that fails',
  harness_error: 'the coding agent failing',
  git_failed: 'a git step that fails',
  follow_up_unhandled: "people's messages arriving too late",
  setup_gap: 'something the run setup lacks',
  slow_setup: 'a sandbox slow to get ready (its snapshot build, or its boot and checkout)',
};

const day = (at: Date) => at.toISOString().slice(0, 10);

function evidence(group: FrictionGroup): string {
  return group.examples
    .map((x) => {
      const lines = x.evidence.length
        ? ` transcript lines ${x.evidence.map((seq) => seq + 1).join(', ')}`
        : '';
      return `run ${x.runId} ("${x.title}")${lines}`;
    })
    .join('; ');
}

/**
 * A retro's title and task: the papercuts as evidence, what a fix may look like, and the
 * signatures whose fixes people rejected before. The runner's plan instructions follow it, so
 * the answer is a plan whose issues each name the friction they fix.
 */
export function retroBrief(input: {
  repo: string;
  since: Date;
  groups: readonly FrictionGroup[];
  rejected: readonly string[];
}): { title: string; description: string } {
  const papercuts = input.groups.map(
    (g, i) =>
      `${i + 1}. \`${g.signature}\` — ${KIND_WORDS[g.kind]}; ${g.runs} run(s), ${g.occurrences} time(s): ${g.summary}\n   Evidence: ${evidence(g)}`,
  );
  const rejected = input.rejected.length
    ? [
        '',
        'People rejected fixes for these before; propose nothing for them:',
        ...input.rejected.map((s) => `- \`${s}\``),
      ]
    : [];
  return {
    title: `Retro: ${input.repo} since ${day(input.since)}`,
    description: [
      `The papercuts runs on ${input.repo} met since ${day(input.since)}, most runs first. The runs_friction and runs_search tools give more, and a run's transcript lines are numbered as here.`,
      '',
      ...papercuts,
      ...rejected,
      '',
      'Propose one fix for each papercut worth fixing, as an issue of the plan: a script in package.json, a convention in AGENTS.md, a quarantined flaky test with its flake rate, a setup step cached in the snapshot, a combined mcp-context tool. Give each issue a "friction" list with the signatures it fixes, and put the evidence (runs and lines) in its description. Propose nothing for a papercut that is not worth a change.',
    ].join('\n'),
  };
}

/**
 * The retro's proposals without those that fix only papercuts people rejected before; the
 * others' `blockedBy` keeps only the proposals that stay.
 */
export function withoutRejected(
  plan: PlanProposal,
  rejected: ReadonlySet<string>,
): { plan: PlanProposal | null; dropped: PlannedIssue[] } {
  const isRejected = (issue: PlannedIssue) =>
    (issue.friction ?? []).length > 0 && issue.friction!.every((s) => rejected.has(s));
  const dropped = plan.issues.filter(isRejected);
  const kept = plan.issues.filter((issue) => !isRejected(issue));
  const keys = new Set(kept.map((issue) => issue.key));
  const issues = kept.map((issue) => ({ ...issue, blockedBy: issue.blockedBy.filter((k) => keys.has(k)) }));
  return { plan: issues.length ? { issues } : null, dropped };
}

/** A proposal's description, ending with the friction it fixes. */
export function proposalFooter(issue: PlannedIssue): string {
  const friction = issue.friction ?? [];
  return friction.length ? `Fixes friction: ${friction.map((s) => `\`${s}\``).join(', ')}` : '';
}

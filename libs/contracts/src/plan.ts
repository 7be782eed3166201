import { z } from 'zod';
import { defineContract } from './contract';
import { readFencedJson } from './fenced-json';

/**
 * What a plan run proposes: the issues to carve the work into and their order. The PM agent
 * answers with it as a fenced JSON block (the runner's plan prompt shows the shape); the
 * orchestrator reads it from the run's summary with `readPlanProposal`.
 */
export const plannedIssueSchema = z.strictObject({
  /** The agent's own name for the issue ("A", "api-1"), used only by `blockedBy`. */
  key: z.string().regex(/^[A-Za-z0-9_.-]{1,40}$/, '1-40 letters, digits, ".", "_" or "-"'),
  title: z.string().trim().min(1).max(200),
  description: z.string().max(20_000).default(''),
  acceptanceCriteria: z.array(z.string().min(1).max(2_000)).max(30).default([]),
  /** Keys of the issues that must merge before this one starts. */
  blockedBy: z.array(z.string()).default([]),
  /** A retro's proposal: the signatures of the papercuts it fixes (`missing_script:lint`). */
  friction: z.array(z.string().min(1).max(300)).max(20).optional(),
});
export type PlannedIssue = z.infer<typeof plannedIssueSchema>;

export const planProposalSchema = z
  .strictObject({ issues: z.array(plannedIssueSchema).min(1).max(25) })
  .superRefine((plan, ctx) => {
    const keys = new Set<string>();
    plan.issues.forEach((issue, i) => {
      if (keys.has(issue.key))
        ctx.addIssue({ code: 'custom', path: ['issues', i, 'key'], message: `duplicate key ${issue.key}` });
      keys.add(issue.key);
    });
    plan.issues.forEach((issue, i) =>
      issue.blockedBy.forEach((key, j) => {
        if (!keys.has(key))
          ctx.addIssue({
            code: 'custom',
            path: ['issues', i, 'blockedBy', j],
            message: `no issue has the key ${key}`,
          });
        else if (key === issue.key)
          ctx.addIssue({
            code: 'custom',
            path: ['issues', i, 'blockedBy', j],
            message: 'an issue cannot block itself',
          });
      }),
    );
  });
export type PlanProposal = z.infer<typeof planProposalSchema>;

export type PlanReading = { ok: true; plan: PlanProposal } | { ok: false; reason: string };

/**
 * Reads the plan from an agent's answer: the last fenced JSON block that holds one (agents
 * often show a draft first), else the whole text as JSON. Cycles are not checked here: the
 * dependency graph that records the plan refuses them.
 */
export function readPlanProposal(text: string | null | undefined): PlanReading {
  const reading = readFencedJson(text, planProposalSchema, { what: 'plan', shape: 'an "issues" list' });
  return reading.ok ? { ok: true, plan: reading.value } : reading;
}

/** An example the plan prompt shows the agent, valid against `planProposalSchema`. */
export const planProposalExample: PlanProposal = {
  issues: [
    {
      key: 'A',
      title: 'Add the data model',
      description: 'What to build and why, in a few sentences.',
      acceptanceCriteria: ['A test covers the new model'],
      blockedBy: [],
    },
    {
      key: 'B',
      title: 'Expose it in the API',
      description: 'Builds on A.',
      acceptanceCriteria: ['The endpoint returns the model'],
      blockedBy: ['A'],
    },
  ],
};

/**
 * Commands to the issue tracker a plan came from (Linear). The notifier carries them out: it
 * holds the tracker credentials. Each issue's id is its work item's id, which Linear accepts as
 * the new issue's id: creating it again is a no-op, and an issue webhook names the work item.
 */
export const trackerCreatePlannedIssues = defineContract({
  kind: 'command',
  subject: 'hzn.cmd.tracker.create_planned_issues',
  version: 1,
  description:
    "Create a plan run's issues in the tracker project it came from, with `blocks` relations between them, and report on the agent session.",
  data: z.object({
    tracker: z.literal('linear'),
    planWorkItemId: z.string().uuid(),
    /** The issue the plan was asked on: its team gets the new issues, its project holds them. */
    planIssueId: z.string().nullable(),
    teamId: z.string().min(1),
    projectId: z.string().nullable(),
    agentSessionId: z.string().nullable(),
    issues: z
      .array(
        z.object({
          workItemId: z.string().uuid(),
          title: z.string().min(1),
          /** Markdown: the description and its acceptance criteria. */
          description: z.string(),
          /** Work item ids of issues in this list that block this one. */
          blockedBy: z.array(z.string().uuid()),
        }),
      )
      .min(1),
  }),
});
export type TrackerCreatePlannedIssuesData = z.infer<typeof trackerCreatePlannedIssues.data>;

export const trackerCommandContracts = [trackerCreatePlannedIssues] as const;

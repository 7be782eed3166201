import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { readPlanProposal, trackerCreatePlannedIssues, workItemPlanProposed } from '@horizon/contracts';
import type { SourceRefs } from '@horizon/contracts';
import type { PlanProposal } from '@horizon/contracts';
import { breakDownPlan, plannedIssueDescription, proposalFooter, withoutRejected } from '../domain';
import { RunFrictionRepository } from '../persistence/run-friction.repository';
import type { WorkItemRow } from '../persistence/work-item.repository';
import { UnitOfWork } from './unit-of-work';
import { sourceRefsOf } from './work-item-transitions';
import { Placement, WorkItemService } from './work-item.service';

const PM_AGENT = 'system:pm-agent';

export type PlanRecording =
  | { readonly ok: true; readonly childIds: readonly string[]; readonly summary: string }
  | { readonly ok: false; readonly reason: string };

/**
 * Turns a successful plan run's answer into work: one implement item per planned issue, children
 * of the plan item, blocked by each other as the plan says. Where the plan came from a tracker
 * (Linear), the same issues are created there by the notifier, with the items' ids as the
 * issues' ids, and the first ones wait for a human to start them there; the rest start by
 * themselves as their blockers merge (the PM-agent automation default). Plans asked for through
 * the API start at once. A plan a console draft asked for creates nothing: its issues go back to
 * the draft (`plan_proposed`, in the same unit of work as the plan's `done`) for people to review
 * and start themselves. A retro's plan is its proposed fixes: each waits, planned, for a person to
 * start it (cancelling it is rejecting it), and proposals that fix only papercuts whose fixes were
 * rejected before are dropped.
 */
@Injectable()
export class PlanRecorder {
  constructor(
    private readonly workItems: WorkItemService,
    private readonly friction: RunFrictionRepository,
  ) {}

  async record(
    uow: UnitOfWork,
    plan: WorkItemRow,
    runId: string,
    answer: string | null | undefined,
  ): Promise<PlanRecording> {
    const reading = readPlanProposal(answer);
    if (!reading.ok) return { ok: false, reason: `the plan could not be read: ${reading.reason}` };
    let proposal: PlanProposal = reading.plan;
    let skipped = '';
    if (plan.kind === 'retro') {
      const { plan: kept, dropped } = withoutRejected(
        proposal,
        await this.friction.rejected(uow.tx, plan.repo),
      );
      skipped = dropped.length
        ? `; left out ${dropped.length} that fix only papercuts whose fixes were rejected before: ${dropped.map((i) => i.title).join('; ')}`
        : '';
      if (!kept) return { ok: true, childIds: [], summary: `proposed nothing new${skipped}` };
      proposal = kept;
    }
    const breakdown = breakDownPlan(proposal);
    if (!breakdown.ok) return breakdown;

    const refs = sourceRefsOf(plan);
    if (refs.consolePlanDraft) {
      uow.emit(workItemPlanProposed, {
        workItemId: plan.id,
        runId,
        repo: plan.repo,
        consolePlanDraftId: refs.consolePlanDraft.id,
        issues: [...breakdown.issues],
      });
      return {
        ok: true,
        childIds: [],
        summary: `proposed ${breakdown.issues.length} issue(s) to the console plan draft for review; none created`,
      };
    }
    const linear = refs.trackerIssue?.provider === 'linear' ? refs.trackerIssue : null;
    const ids = new Map(breakdown.issues.map((issue) => [issue.key, randomUUID()]));
    const retro = plan.kind === 'retro';
    const children = breakdown.issues.map((issue) => ({
      id: ids.get(issue.key) as string,
      title: issue.title,
      description: [plannedIssueDescription(issue), retro ? proposalFooter(issue) : '']
        .filter(Boolean)
        .join('\n\n'),
      blockedBy: issue.blockedBy.map((key) => ids.get(key) as string),
      friction: issue.friction ?? [],
    }));

    for (const child of children) {
      const sourceRefs: SourceRefs = {
        ...(linear ? { trackerIssue: { provider: 'linear', id: child.id, teamId: linear.teamId } } : {}),
        ...(refs.slackThread ? { slackThread: refs.slackThread } : {}),
        ...(retro ? { retroProposal: { retroId: plan.id, friction: child.friction } } : {}),
      };
      const placement: Placement = retro
        ? { by: 'hold', cause: `proposed by ${plan.title}: waits for a person to start it` }
        : linear
          ? { by: 'hold', cause: `planned by ${plan.title}: waits to be started in Linear` }
          : { by: 'policy' };
      await this.workItems.record(
        uow,
        {
          id: child.id,
          kind: 'implement',
          repo: plan.repo,
          title: child.title,
          description: child.description,
          priority: plan.priority,
          labels: plan.labels,
          autoStart: null,
          ownerId: plan.ownerId,
          sourceRefs,
          parentId: plan.id,
        },
        child.blockedBy,
        placement,
        PM_AGENT,
      );
    }

    if (linear?.teamId) {
      uow.emit(trackerCreatePlannedIssues, {
        tracker: 'linear',
        planWorkItemId: plan.id,
        planIssueId: linear.id,
        teamId: linear.teamId,
        projectId: null,
        agentSessionId: refs.linearAgentSession?.id ?? null,
        issues: children.map(({ id, friction: _friction, ...issue }) => ({ workItemId: id, ...issue })),
      });
    }
    const order = breakdown.issues.map((issue) => issue.title).join('; ');
    const where = linear && !linear.teamId ? ' (not created in Linear: the plan issue has no team)' : '';
    return {
      ok: true,
      childIds: children.map((c) => c.id),
      summary: retro
        ? `proposed ${children.length} fix(es), each waiting for a person to start it: ${order}${skipped}`
        : `planned ${children.length} issue(s)${where}: ${order}`,
    };
  }
}

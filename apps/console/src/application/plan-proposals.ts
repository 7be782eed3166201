import { randomUUID } from 'node:crypto';
import { itemsFromProposal, PlanRuleBroken, type ProposedIssue } from '../domain/plan';
import type { AuditRepository } from '../persistence/audit.repository';
import { PM_AGENT, type PlanRepository } from '../persistence/plan.repository';
import type { PlanPresence } from '../messaging/plan-presence';

/** The states a plan work item ends in without having proposed anything. */
const ENDED_WITHOUT_PROPOSAL = new Set(['failed', 'cancelled']);

/**
 * What the PM agent's run on a draft came to: its proposal replaces the draft's items, or its
 * failure is shown on the draft. Each write lands only while that run is the draft's planning
 * one, so a redelivered event changes nothing (exactly once in effect, without an inbox), and
 * each new version reaches the open pages through the plan live stream.
 */
export class PlanProposalIntake {
  constructor(
    private readonly plans: PlanRepository,
    private readonly audit: AuditRepository,
    private readonly presence: PlanPresence,
  ) {}

  async proposed(proposal: {
    workItemId: string;
    consolePlanDraftId: string;
    issues: ProposedIssue[];
  }): Promise<void> {
    const { workItemId, consolePlanDraftId: draftId } = proposal;
    let version: number | null;
    try {
      const items = itemsFromProposal(proposal.issues, randomUUID);
      version = await this.plans.applyProposal(draftId, workItemId, items);
    } catch (err) {
      if (!(err instanceof PlanRuleBroken)) throw err;
      version = await this.plans.planningFailed(
        draftId,
        workItemId,
        `the PM agent's proposal cannot be a plan: ${err.message}`,
      );
    }
    if (version === null) return;
    this.presence.changed(draftId, version, PM_AGENT);
    await this.audit.record({
      personId: null,
      actor: PM_AGENT,
      action: 'plan.proposed',
      target: draftId,
      detail: { workItemId, issues: proposal.issues.length },
    });
  }

  /** A plan item moved: if it ended without a proposal, the draft it was planning says why. */
  async moved(change: { workItemId: string; to: string; cause: string }): Promise<void> {
    if (!ENDED_WITHOUT_PROPOSAL.has(change.to)) return;
    for (const draftId of await this.plans.planningBy(change.workItemId)) {
      const version = await this.plans.planningFailed(
        draftId,
        change.workItemId,
        `the PM agent's run ${change.to === 'failed' ? 'failed' : 'was cancelled'}: ${change.cause}`,
      );
      if (version !== null) this.presence.changed(draftId, version, PM_AGENT);
    }
  }
}

/**
 * The demo's human, as plain logic: given what the database shows, what the reviewer does next.
 * The plan run splits the project into issues; the first issue's pull request gets a review
 * asking for a change, and is approved and merged once the revise run has answered it; every
 * other pull request is approved and merged as it arrives. Horizon does the rest by itself.
 */

export const DEMO_REPO = { owner: 'demo', name: 'cart' } as const;
export const DEMO_REPO_NAME = `${DEMO_REPO.owner}/${DEMO_REPO.name}`;
export const DEMO_REVIEWER = 'demo-reviewer';
export const DEMO_PROJECT = {
  title: 'Shopping cart totals',
  description: [
    'Checkout needs to show what an order costs. Today the cart can only price a single line.',
    '',
    'Goals:',
    '- the total of all lines',
    '- discount codes on that total',
    '- sales tax on what the customer pays after the discount',
    '',
    'Keep amounts in integer cents and cover each step with tests.',
  ].join('\n'),
};
/** The review on the first pull request; the scripted revise run is selected by its wording. */
export const DEMO_REVIEW =
  'Looks good. One change before I approve: please reject negative quantities. `subtotal` should throw a RangeError naming the SKU, with a test.';

const FAILED = ['failed', 'cancelled', 'timed_out'];
const FINISHED = ['done', 'merged'];

export interface ObservedPullRequest {
  number: number;
  url: string;
  /**
   * What the forge says of it, read only while its item waits in review (null otherwise): the
   * reviews given so far, oldest first, by state (`changes_requested`, `approved`, …), and
   * whether it merged. The demo acts on nothing else, and each read costs the forge a look at git.
   */
  review: { states: string[]; merged: boolean } | null;
}

export interface ObservedItem {
  id: string;
  title: string;
  state: string;
  /** Transitions so far, `from→to`. */
  transitions: string[];
  /** How its latest run ended (null while it runs, or before the first). */
  lastRunOutcome: string | null;
  pullRequest: ObservedPullRequest | null;
}

export interface DemoObservation {
  plan: ObservedItem | null;
  /** The plan's children, in the order the plan gave them. */
  children: ObservedItem[];
}

export type DemoAction =
  | { type: 'request_changes'; item: ObservedItem; pullRequest: ObservedPullRequest; body: string }
  | { type: 'approve_and_merge'; item: ObservedItem; pullRequest: ObservedPullRequest };

export type DemoStatus =
  { type: 'waiting'; actions: DemoAction[] } | { type: 'finished' } | { type: 'failed'; reason: string };

/** What to do now, or whether the demo is over. */
export function nextDemoStep(observed: DemoObservation): DemoStatus {
  const { plan, children } = observed;
  if (plan && FAILED.includes(plan.state))
    return { type: 'failed', reason: `the plan run ended ${plan.state}` };
  const broken = children.find((c) => FAILED.includes(c.state));
  if (broken) return { type: 'failed', reason: `"${broken.title}" ended ${broken.state}` };
  if (plan?.state === 'done' && children.length > 0 && children.every((c) => FINISHED.includes(c.state)))
    return { type: 'finished' };

  const actions: DemoAction[] = [];
  let revisionFailed: ObservedItem | null = null;
  for (const [index, item] of children.entries()) {
    const pr = item.pullRequest;
    if (item.state !== 'in_review' || !pr?.review || pr.review.merged) continue;
    const askedForChanges = pr.review.states.includes('changes_requested');
    if (index === 0 && !askedForChanges) {
      actions.push({ type: 'request_changes', item, pullRequest: pr, body: DEMO_REVIEW });
    } else if (!askedForChanges) {
      actions.push({ type: 'approve_and_merge', item, pullRequest: pr });
    } else if (item.transitions.includes('revising→in_review')) {
      // Back in review after the change request: only a revise run that succeeded answered it.
      if (item.lastRunOutcome !== 'succeeded') revisionFailed = item;
      else actions.push({ type: 'approve_and_merge', item, pullRequest: pr });
    }
  }
  if (revisionFailed)
    return {
      type: 'failed',
      reason: `the revise run of "${revisionFailed.title}" ended ${revisionFailed.lastRunOutcome}`,
    };
  return { type: 'waiting', actions };
}

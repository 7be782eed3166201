import { IngressEvent } from './ingress-event';
import { RoutingDecision } from './routing-decision';
import { ignore, RoutingContext, RoutingRule } from './routing-rule';
import { apiRules } from './routing-rules.api';
import { ciRules } from './routing-rules.ci';
import { githubGuardRules, githubRules } from './routing-rules.github';
import { linearGuardRules, linearRules } from './routing-rules.linear';
import { slackRules } from './routing-rules.slack';

export * from './routing-rule';
export { forgeOf, mentions } from './routing-rules.github';

export interface RoutingOutcome {
  /** The rule that decided, for logs and the audit trail. */
  readonly rule: string;
  readonly decision: RoutingDecision;
}

/**
 * The routing table, read top to bottom; the first rule that matches decides. Ignoring rules
 * come first where they guard against loops (Horizon reacting to its own comments and updates).
 * Each source's rules live in `routing-rules.<source>.ts`.
 */
export const routingRules: readonly RoutingRule[] = [
  ...githubGuardRules,
  ...linearGuardRules,
  ...linearRules,
  ...ciRules,
  ...githubRules,
  ...slackRules,
  ...apiRules,
  {
    name: 'nothing-to-do',
    matches: () => true,
    decide: (event) => ignore(`no rule acts on ${event.subject}${describeAction(event)}`),
  },
];

function describeAction(event: IngressEvent): string {
  return event.data.delivery.action ? ` (${event.data.delivery.action})` : '';
}

/** Routes one event through a table (the default one unless given). The last default rule matches everything. */
export function route(
  event: IngressEvent,
  context: RoutingContext,
  rules: readonly RoutingRule[] = routingRules,
): RoutingOutcome {
  const rule = rules.find((candidate) => candidate.matches(event, context));
  if (!rule) return { rule: 'none', decision: ignore(`no rule matches ${event.subject}`) };
  return { rule: rule.name, decision: rule.decide(event, context) };
}

import { Contract } from './contract';
import { forgeCommandContracts } from './forge-commands';
import { identityContracts } from './identity';
import { ingressContracts } from './ingress';
import { ingressAdminContracts } from './ingress-admin';
import { lifecycleContracts } from './lifecycle';
import { notifyContracts } from './notify';
import { orchestratorContextContracts } from './orchestrator-context';
import { trackerCommandContracts } from './plan';
import { sandboxContracts } from './sandbox';
import { workQueryContracts } from './work-queries';
import { consoleContracts } from './console';
import { integrationContracts } from './integrations';
import { scheduleContracts } from './schedule';
import { usageContracts } from './usage';
import { budgetContracts } from './budget';
import { budgetHoldContracts } from './budget-hold';
import { fleetContracts } from './fleet';
import { frictionContracts } from './friction';
import { trendContracts } from './trends';

/** Every contract, keyed by subject. A subject appears once; `catalog.spec.ts` keeps it so. */
export const allContracts: readonly Contract[] = [
  ...ingressContracts,
  ...lifecycleContracts,
  ...sandboxContracts,
  ...notifyContracts,
  ...forgeCommandContracts,
  ...trackerCommandContracts,
  ...identityContracts,
  ...orchestratorContextContracts,
  ...workQueryContracts,
  ...ingressAdminContracts,
  ...consoleContracts,
  ...integrationContracts,
  ...scheduleContracts,
  ...usageContracts,
  ...fleetContracts,
  ...frictionContracts,
  ...trendContracts,
  ...budgetContracts,
  ...budgetHoldContracts,
];

export const catalog: ReadonlyMap<string, Contract> = new Map(allContracts.map((c) => [c.subject, c]));

export function contractFor(subject: string): Contract | undefined {
  return catalog.get(subject);
}

import {
  identityIntegrationStatus,
  INTEGRATIONS,
  notifierIntegrationStatus,
  sandboxIntegrationStatus,
  type IntegrationCheck,
} from '@horizon/contracts';
import { RpcError, type RpcClient } from '@horizon/messaging';
import type { IntegrationsView } from '../shared/console-api';

/**
 * Which service owns (holds the settings of, and probes) each integration. The console asks
 * the owner and never reads another service's configuration.
 */
const OWNERS: Record<(typeof INTEGRATIONS)[number], string> = {
  slack: 'notifier',
  linear: 'notifier',
  forge: 'notifier',
  github: 'identity-broker',
  model: 'sandbox-manager',
};

/** The owners that answer for their integrations, and how to ask each. */
const REPORTING = [
  { service: 'notifier', contract: notifierIntegrationStatus },
  { service: 'sandbox-manager', contract: sandboxIntegrationStatus },
  { service: 'identity-broker', contract: identityIntegrationStatus },
] as const;

/** The owners' probes take up to 3 s; their answer may take a little longer to arrive. */
const OWNER_TIMEOUT_MS = 5000;

/** Settings' integrations: each owning service's own check, or why there is none. */
export class IntegrationsStatus {
  constructor(
    private readonly rpc: RpcClient,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async check(): Promise<IntegrationsView> {
    const checks: IntegrationCheck[] = [];
    const unreported: IntegrationsView['unreported'] = [];
    // Asked together: each owner probes under its own short timeout.
    await Promise.all(
      REPORTING.map(async ({ service, contract }) => {
        try {
          checks.push(...(await this.rpc.call(contract, {}, { timeoutMs: OWNER_TIMEOUT_MS })).checks);
        } catch (err) {
          if (!(err instanceof RpcError && err.code === 'unavailable')) throw err;
          for (const integration of INTEGRATIONS)
            if (OWNERS[integration] === service)
              unreported.push({
                integration,
                service,
                detail: `the ${service} did not answer in ${OWNER_TIMEOUT_MS / 1000} s; is it running? (npm run -s horizon -- status)`,
              });
        }
      }),
    );
    for (const integration of INTEGRATIONS)
      if (
        !checks.some((c) => c.integration === integration) &&
        !unreported.some((u) => u.integration === integration)
      )
        unreported.push({
          integration,
          service: OWNERS[integration],
          detail: `${OWNERS[integration]} does not report this integration's status yet; see docs/configuration.md for its settings`,
        });
    const order = (i: IntegrationCheck['integration']) => INTEGRATIONS.indexOf(i);
    checks.sort((a, b) => order(a.integration) - order(b.integration));
    unreported.sort((a, b) => order(a.integration) - order(b.integration));
    return { checks, unreported, checkedAt: this.now().toISOString() };
  }
}

import { FLEET_SECTION_END, FLEET_SECTION_START, withFleetSection } from '@horizon/contracts';
import type { DataOf, forgeUpdateFleetLinks } from '@horizon/contracts';
import { HandlerOutcome, Outcome, RpcError } from '@horizon/messaging';
import type { Logger } from '@horizon/observability';
import { classifyGitHubError } from './github-errors';
import { ForgeNotConfigured } from './local-access';
import type { ForgeAccesses } from './pull-request-delivery';

type FleetLinks = DataOf<typeof forgeUpdateFleetLinks>;

/** How many sibling links a fleet section lists (they only grow as siblings open their PRs). */
export function linkCount(body: string): number {
  const start = body.indexOf(FLEET_SECTION_START);
  const end = body.indexOf(FLEET_SECTION_END);
  if (start === -1 || end < start) return -1;
  return body
    .slice(start, end)
    .split('\n')
    .filter((line) => line.startsWith('- ')).length;
}

/**
 * Rewrites the fleet section of a fleet child's PR body, keeping the rest. Commands for one PR
 * may be handled out of order: a section listing fewer siblings than the body has is stale
 * and changes nothing, so the body ends with the newest.
 */
export class FleetLinksDelivery {
  constructor(private readonly forges: ForgeAccesses) {}

  async update(cmd: FleetLinks, logger: Logger): Promise<HandlerOutcome> {
    const [owner, name] = cmd.repo.split('/') as [string, string];
    const repo = { owner, repo: name };
    try {
      const forge = await this.forges[cmd.forge].reporter(cmd);
      const body = await forge.getBody(repo, cmd.number);
      if (linkCount(body) > linkCount(cmd.section)) {
        logger.info({ number: cmd.number }, 'fleet links already newer than this command');
        return Outcome.ack();
      }
      const next = withFleetSection(body, cmd.section);
      if (next !== body) await forge.updatePullRequest(repo, cmd.number, { body: next });
      logger.info({ number: cmd.number, links: linkCount(next) }, 'fleet links updated');
      return Outcome.ack();
    } catch (err) {
      if (err instanceof ForgeNotConfigured) return Outcome.reject(err.message);
      if (err instanceof RpcError) return Outcome.retry(`identity-broker: ${err.message}`);
      const failure = classifyGitHubError(err);
      if (failure.kind === 'transient' || failure.kind === 'rate_limited')
        return Outcome.retry(`fleet links of ${cmd.repo}#${cmd.number}: ${failure.message}`);
      return Outcome.reject(`fleet links of ${cmd.repo}#${cmd.number} refused: ${failure.message}`);
    }
  }
}

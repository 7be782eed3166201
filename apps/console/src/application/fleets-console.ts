import {
  fleetResultsCsv,
  orchestratorCancelFleet,
  orchestratorCreateFleet,
  orchestratorGetFleet,
  orchestratorListFleets,
  orchestratorRetryFleet,
  type FleetRequest,
  type FleetView,
} from '@horizon/contracts';
import { RpcError } from '@horizon/messaging';
import type { RpcClient } from '@horizon/messaging';
import { canSee, roleIn, satisfies, visibleRepos } from '../domain/access';
import type { AuditRepository } from '../persistence/audit.repository';
import type { FleetDetailView, FleetListView } from '../shared/console-api';
import type { Viewer } from './sign-in.service';
import { NotPermitted } from './work-reader';

/** No fleet of that id, or none the person may see any child of. */
export class FleetNotFound extends Error {}
/** The orchestrator refused the request as it stands: `message` says why. */
export class FleetRefused extends Error {
  constructor(
    readonly code: 'invalid_fleet' | 'nothing_to_retry',
    message: string,
  ) {
    super(message);
  }
}

/**
 * Fleets in the console. The orchestrator owns them and answers over RPC; the console decides
 * who may do what. A fleet spans repositories: a person sees it when they may see one of its
 * children's repositories (and then only those children), and may create, cancel or retry it
 * only as a member of every repository it touches (a glob selector: of every repository, `*`).
 * Each change is audited with the person.
 */
export class FleetsConsole {
  constructor(
    private readonly rpc: RpcClient,
    private readonly audit: AuditRepository,
    /** The identity a person signs in as (null: none): a fleet is owned by who creates it, so its PRs are theirs. */
    private readonly identityOf: (personId: string) => Promise<string | null>,
  ) {}

  async list(viewer: Viewer): Promise<FleetListView> {
    const { fleets } = await this.rpc.call(orchestratorListFleets, {});
    const visible = visibleRepos(viewer.grants);
    if (visible.all) return { fleets };
    const details = await Promise.all(
      fleets.map((f) => this.rpc.call(orchestratorGetFleet, { fleetId: f.id })),
    );
    return {
      fleets: fleets.filter((_, i) => details[i]!.children.some((c) => canSee(visible, c.repo))),
    };
  }

  async get(viewer: Viewer, fleetId: string): Promise<FleetDetailView> {
    const { detail, children, missing } = await this.seen(viewer, fleetId);
    return {
      fleet: detail.fleet,
      children,
      hidden: detail.children.length - children.length,
      mayChange: missing.length === 0,
    };
  }

  /** The results of the children the person may see, as CSV (RFC 4180). */
  async resultsCsv(viewer: Viewer, fleetId: string): Promise<string> {
    return fleetResultsCsv((await this.get(viewer, fleetId)).children);
  }

  async create(viewer: Viewer, request: FleetRequest): Promise<FleetView> {
    const repos = request.selector.repos;
    if (!repos && !satisfies(roleIn(viewer.grants, '*'), 'member'))
      throw new NotPermitted(
        'every repository (a glob may match any of them; list the repositories instead)',
      );
    const refused = (repos ?? []).filter((repo) => !satisfies(roleIn(viewer.grants, repo), 'member'));
    if (refused.length > 0) throw new NotPermitted(refused.join(', '));
    const ownerId = await this.identityOf(viewer.personId);
    const fleet = await this.refusing(() =>
      this.rpc.call(orchestratorCreateFleet, {
        fleet: request,
        ownerId,
        requestedBy: `console:${viewer.name}`,
      }),
    );
    await this.record(viewer, 'fleet.created', fleet.id, {
      title: fleet.title,
      selector: request.selector,
      cap: fleet.cap,
      children: fleet.progress.total,
    });
    return fleet;
  }

  async cancel(viewer: Viewer, fleetId: string): Promise<FleetView> {
    await this.changeable(viewer, fleetId);
    const fleet = await this.rpc.call(orchestratorCancelFleet, {
      fleetId,
      requestedBy: `console:${viewer.name}`,
    });
    await this.record(viewer, 'fleet.cancel_requested', fleetId, { title: fleet.title });
    return fleet;
  }

  async retry(viewer: Viewer, fleetId: string): Promise<{ fleet: FleetView; retried: string[] }> {
    await this.changeable(viewer, fleetId);
    const answer = await this.refusing(() =>
      this.rpc.call(orchestratorRetryFleet, { fleetId, requestedBy: `console:${viewer.name}` }),
    );
    await this.record(viewer, 'fleet.retry_requested', fleetId, {
      title: answer.fleet.title,
      retried: answer.retried.length,
    });
    return answer;
  }

  private async changeable(viewer: Viewer, fleetId: string): Promise<void> {
    const { missing } = await this.seen(viewer, fleetId);
    if (missing.length > 0) throw new NotPermitted(missing.join(', '));
  }

  /** The fleet, the children the person may see, and the repositories they are no member of. */
  private async seen(viewer: Viewer, fleetId: string) {
    const detail = await this.detail(fleetId);
    const visible = visibleRepos(viewer.grants);
    const children = detail.children.filter((c) => canSee(visible, c.repo));
    if (children.length === 0) throw new FleetNotFound(fleetId);
    const repos = [...new Set(detail.children.map((c) => c.repo))];
    const missing = repos.filter((repo) => !satisfies(roleIn(viewer.grants, repo), 'member'));
    return { detail, children, missing };
  }

  private async detail(fleetId: string) {
    return this.refusing(() => this.rpc.call(orchestratorGetFleet, { fleetId })).catch((err: unknown) => {
      if (err instanceof RpcError && err.code === 'not_found') throw new FleetNotFound(fleetId);
      throw err;
    });
  }

  /** The orchestrator's refusals as the console's own errors; anything else as it came. */
  private async refusing<T>(ask: () => Promise<T>): Promise<T> {
    try {
      return await ask();
    } catch (err) {
      if (err instanceof RpcError && (err.code === 'invalid_fleet' || err.code === 'nothing_to_retry'))
        throw new FleetRefused(err.code, err.message);
      throw err;
    }
  }

  private record(viewer: Viewer, action: string, target: string, detail: Record<string, unknown>) {
    return this.audit.record({ personId: viewer.personId, actor: viewer.name, action, target, detail });
  }
}

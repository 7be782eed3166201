import type { ConsoleRole } from '@horizon/contracts';
import { roleIn } from '../domain/access';
import type { AuditRepository } from '../persistence/audit.repository';
import type { PeopleRepository } from '../persistence/people.repository';
import type { PersonView } from '../shared/console-api';
import type { SignInService, Viewer } from './sign-in.service';

/** Refused: the person asking is not an admin where the change applies, or it would lock everyone out. */
export class AdminRefused extends Error {
  constructor(
    message: string,
    readonly status: 403 | 404 | 409,
  ) {
    super(message);
  }
}

/** Refuses unless the viewer is an admin of `repo` (`*`: of every repository). */
export function mustAdminister(viewer: Viewer, repo: string): void {
  if (roleIn(viewer.grants, repo) !== 'admin')
    throw new AdminRefused(
      repo === '*'
        ? 'only an admin of every repository (*) may do this'
        : `you are not an admin of ${repo}; ask one of its admins`,
      403,
    );
}

/**
 * Who may do what, managed by admins: an admin of a repository grants roles in it and invites
 * people to it; only an admin of every repository (`*`) grants `*`. The console never drops its
 * last admin of every repository, so it cannot be locked out.
 */
export class PeopleAdmin {
  constructor(
    private readonly people: PeopleRepository,
    private readonly signIn: SignInService,
    private readonly audit: AuditRepository,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async list(): Promise<PersonView[]> {
    return (await this.people.everyone()).map((p) => ({
      id: p.id,
      name: p.name,
      grants: p.grants.map((g) => ({ repo: g.repo, role: g.role })),
      lastSignInAt: p.lastSignInAt?.toISOString() ?? null,
      activeSessions: p.activeSessions,
    }));
  }

  async invite(
    viewer: Viewer,
    request: { person: string; role: ConsoleRole; repo: string; ttlMinutes: number },
  ) {
    mustAdminister(viewer, request.repo);
    const link = await this.signIn.createLink(request);
    await this.record(viewer, 'person.invited', request.person, { role: request.role, repo: request.repo });
    return link;
  }

  async setGrant(viewer: Viewer, personId: string, repo: string, role: ConsoleRole | null): Promise<void> {
    mustAdminister(viewer, repo);
    const person = await this.people.person(personId);
    if (!person) throw new AdminRefused(`no person ${personId}`, 404);
    const current = person.grants.find((g) => g.repo === repo)?.role ?? null;
    if (
      repo === '*' &&
      current === 'admin' &&
      role !== 'admin' &&
      (await this.people.countEverywhereAdmins()) <= 1
    )
      throw new AdminRefused(
        `${person.name} is the last admin of every repository; make someone else one first`,
        409,
      );
    await this.people.setGrant(personId, repo, role);
    await this.record(viewer, role ? 'grant.set' : 'grant.removed', person.name, {
      repo,
      role,
      was: current,
    });
  }

  async signOutEverywhere(viewer: Viewer, personId: string): Promise<number> {
    const person = await this.people.person(personId);
    if (!person) throw new AdminRefused(`no person ${personId}`, 404);
    // Signing someone out is an admin's act over all their access: only an admin of every repository.
    mustAdminister(viewer, '*');
    const ended = await this.people.revokeSessionsOf(personId, this.now());
    await this.record(viewer, 'person.signed_out', person.name, { sessions: ended });
    return ended;
  }

  private record(viewer: Viewer, action: string, target: string, detail: Record<string, unknown>) {
    return this.audit.record({ personId: viewer.personId, actor: viewer.name, action, target, detail });
  }
}

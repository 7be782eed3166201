import { consoleRoleSchema } from '@horizon/contracts';
import type { ConsoleAutoGrant } from '@horizon/db';
import { z } from 'zod';
import type { AuditRepository } from '../persistence/audit.repository';
import type { AutoGrantRepository } from '../persistence/auto-grants.repository';
import type { PeopleRepository } from '../persistence/people.repository';
import type { AutoGrantView } from '../shared/console-api';
import { AdminRefused, mustAdminister } from './people-admin.service';
import type { Viewer } from './sign-in.service';

/** A rule as an admin asks for it: a bare domain (no `@`, no wildcard), viewer in `*` by default. */
export const autoGrantRequest = z.strictObject({
  domain: z
    .string()
    .trim()
    .toLowerCase()
    .regex(
      /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
      'a domain such as acme.com: no @, no wildcard, no scheme',
    ),
  role: consoleRoleSchema.default('viewer'),
  repo: z
    .string()
    .regex(/^(\*|[\w.-]+\/[\w.-]+)$/, 'owner/name, or * for every repository')
    .default('*'),
});

const view = (r: ConsoleAutoGrant): AutoGrantView => ({
  id: r.id,
  domain: r.domain,
  repo: r.repo,
  role: r.role,
  createdBy: r.createdBy,
  createdAt: r.createdAt.toISOString(),
});

/**
 * Roles for first sign-ins by email domain. The safe default is no role: only a rule an admin
 * of every repository wrote grants anything, only to a person signing in for the first time
 * (an admin who later takes their role away is not overruled), and only for an email the
 * provider verified (identity-broker passes no other). Each rule change and each grant is audited.
 */
export class AutoGrants {
  constructor(
    private readonly rules: AutoGrantRepository,
    private readonly people: PeopleRepository,
    private readonly audit: AuditRepository,
  ) {}

  async list(viewer: Viewer): Promise<AutoGrantView[]> {
    mustAdminister(viewer, '*');
    return (await this.rules.list()).map(view);
  }

  async add(viewer: Viewer, request: z.infer<typeof autoGrantRequest>): Promise<AutoGrantView> {
    mustAdminister(viewer, '*');
    const rule = await this.rules.add({ ...request, createdBy: viewer.name });
    if (!rule)
      throw new AdminRefused(
        `a rule for ${request.domain} in ${request.repo} exists already; remove it first to change its role`,
        409,
      );
    await this.recordChange(viewer, 'auto_grant.created', rule);
    return view(rule);
  }

  async remove(viewer: Viewer, id: string): Promise<void> {
    mustAdminister(viewer, '*');
    const rule = await this.rules.remove(id);
    if (!rule) throw new AdminRefused(`no auto-grant rule ${id}; it may have been removed`, 404);
    await this.recordChange(viewer, 'auto_grant.removed', rule);
  }

  private recordChange(viewer: Viewer, action: string, rule: ConsoleAutoGrant): Promise<void> {
    return this.audit.record({
      personId: viewer.personId,
      actor: viewer.name,
      action,
      target: rule.domain,
      detail: { repo: rule.repo, role: rule.role },
    });
  }

  /** Grants what the rules for a newcomer's verified email domain say; the grants given. */
  async onFirstSignIn(
    person: { id: string; name: string },
    verifiedEmail: string | null,
  ): Promise<{ repo: string; role: ConsoleAutoGrant['role'] }[]> {
    const domain = verifiedEmail?.split('@')[1]?.toLowerCase();
    if (!domain) return [];
    const rules = await this.rules.forDomain(domain);
    for (const rule of rules) {
      await this.people.setGrant(person.id, rule.repo, rule.role);
      await this.audit.record({
        personId: person.id,
        actor: 'auto-grant',
        action: 'auth.auto_granted',
        target: person.name,
        detail: { domain, repo: rule.repo, role: rule.role, rule: rule.id },
      });
    }
    return rules.map((r) => ({ repo: r.repo, role: r.role }));
  }
}

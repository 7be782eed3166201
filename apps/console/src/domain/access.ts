import type { ConsoleRole } from '@horizon/contracts';

/** A person's role in one repository (`owner/name`) or in every repository (`*`). */
export interface Grant {
  readonly repo: string;
  readonly role: ConsoleRole;
}

const RANK: Record<ConsoleRole, number> = { viewer: 1, member: 2, admin: 3 };

/** Each role includes the ones before it: an admin may do what a member may, and so on. */
export function satisfies(role: ConsoleRole | null, needed: ConsoleRole): boolean {
  return role !== null && RANK[role] >= RANK[needed];
}

/** The person's role in `repo`: the higher of their grant for it and their grant for `*`. */
export function roleIn(grants: readonly Grant[], repo: string): ConsoleRole | null {
  let best: ConsoleRole | null = null;
  for (const g of grants)
    if ((g.repo === repo || g.repo === '*') && (best === null || RANK[g.role] > RANK[best])) best = g.role;
  return best;
}

/** Their highest role anywhere: what a route that is not about one repository checks. */
export function highestRole(grants: readonly Grant[]): ConsoleRole | null {
  let best: ConsoleRole | null = null;
  for (const g of grants) if (best === null || RANK[g.role] > RANK[best]) best = g.role;
  return best;
}

/**
 * Which repositories a person may see at `needed`: every one (`all`), or the listed ones.
 * Lists and the live stream are filtered by it, so nobody sees another team's work.
 */
export function visibleRepos(
  grants: readonly Grant[],
  needed: ConsoleRole = 'viewer',
): { all: true } | { all: false; repos: ReadonlySet<string> } {
  if (grants.some((g) => g.repo === '*' && satisfies(g.role, needed))) return { all: true };
  return {
    all: false,
    repos: new Set(grants.filter((g) => satisfies(g.role, needed)).map((g) => g.repo)),
  };
}

export function canSee(visible: ReturnType<typeof visibleRepos>, repo: string): boolean {
  return visible.all || visible.repos.has(repo);
}

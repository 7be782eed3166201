import { roles, type Role, type SessionView } from '../../../src/shared/console-api';
import { useSession } from './SessionProvider';

/** The person's role in `repo` (their grant for it or for `*`): what the backend checks too. */
export function roleIn(session: SessionView, repo: string): Role | null {
  const ranks = session.grants
    .filter((g) => g.repo === repo || g.repo === '*')
    .map((g) => roles.indexOf(g.role));
  return ranks.length ? roles[Math.max(...ranks)]! : null;
}

/** Whether the signed-in person may steer work in `repo` (member or admin there). */
export function useMemberOf(repo: string): boolean {
  const { session } = useSession();
  const role = roleIn(session, repo);
  return role !== null && roles.indexOf(role) >= roles.indexOf('member');
}

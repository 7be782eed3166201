import { randomUUID } from 'node:crypto';

/** A route of the console, the least role it needs, and a request that tries it. */
export interface RouteCase {
  method: 'GET' | 'POST' | 'PATCH';
  path: string;
  needs: 'public' | 'viewer' | 'member' | 'admin';
  body?: unknown;
}

/**
 * Every route the console serves, for the table-driven access tests: `repo` is a repository the
 * suite created, `workItemId` an item in it. Ids that do not exist are fine: access is decided
 * before the route looks anything up.
 */
export function consoleRoutes(repo: string, workItemId: string): RouteCase[] {
  return [
    { method: 'GET', path: '/auth/sign-in', needs: 'public' },
    { method: 'GET', path: '/api/sign-in-methods', needs: 'public' },
    { method: 'GET', path: '/auth/sign-in/:method/start', needs: 'public' },
    { method: 'GET', path: '/auth/sign-in/:method/callback', needs: 'public' },
    { method: 'GET', path: '/*', needs: 'public' },
    { method: 'GET', path: '/api/session', needs: 'viewer' },
    { method: 'POST', path: '/auth/sign-out', needs: 'viewer' },
    { method: 'GET', path: '/api/work-items', needs: 'viewer' },
    { method: 'GET', path: `/api/work-items/${workItemId}`, needs: 'viewer' },
    { method: 'GET', path: `/api/graph?repo=${repo}`, needs: 'viewer' },
    { method: 'GET', path: '/api/events', needs: 'viewer' },
    { method: 'GET', path: `/api/runs/${randomUUID()}`, needs: 'viewer' },
    { method: 'GET', path: `/api/runs/${randomUUID()}/evidence/${randomUUID()}`, needs: 'viewer' },
    { method: 'POST', path: `/api/work-items/${workItemId}/cancel`, needs: 'member', body: {} },
    {
      method: 'POST',
      path: `/api/work-items/${workItemId}/follow-ups`,
      needs: 'member',
      body: { text: 'Keep the old endpoint.' },
    },
    { method: 'POST', path: `/api/work-items/${workItemId}/retry`, needs: 'member', body: {} },
    { method: 'POST', path: `/api/work-items/${workItemId}/start`, needs: 'member', body: {} },
    // A member gets past the guard; being the item's owner (or an admin) is checked after it.
    {
      method: 'POST',
      path: `/api/work-items/${workItemId}/budget`,
      needs: 'member',
      body: { action: 'stop' },
    },
    { method: 'GET', path: '/api/usage?by=repo', needs: 'viewer' },
    { method: 'GET', path: '/api/friction', needs: 'viewer' },
    { method: 'GET', path: '/api/trends', needs: 'viewer' },
    { method: 'POST', path: '/api/retros', needs: 'member', body: { repo } },
    { method: 'GET', path: '/api/fleets', needs: 'viewer' },
    { method: 'GET', path: `/api/fleets/${randomUUID()}`, needs: 'viewer' },
    { method: 'GET', path: `/api/fleets/${randomUUID()}/results.csv`, needs: 'viewer' },
    {
      method: 'POST',
      path: '/api/fleets',
      needs: 'member',
      body: { title: 'Bump', prompt: 'Bump it.', selector: { repos: [repo] } },
    },
    { method: 'POST', path: `/api/fleets/${randomUUID()}/cancel`, needs: 'member', body: {} },
    { method: 'POST', path: `/api/fleets/${randomUUID()}/retry`, needs: 'member', body: {} },
    { method: 'GET', path: '/api/admin/audit', needs: 'admin' },
    { method: 'GET', path: '/api/admin/people', needs: 'admin' },
    {
      method: 'POST',
      path: `/api/admin/people/${randomUUID()}/grants`,
      needs: 'admin',
      body: { repo: '*', role: 'viewer' },
    },
    { method: 'POST', path: `/api/admin/people/${randomUUID()}/sign-out`, needs: 'admin' },
    {
      method: 'POST',
      path: '/api/admin/sign-in-links',
      needs: 'admin',
      body: { person: 'newcomer', role: 'viewer' },
    },
    { method: 'GET', path: '/api/admin/api-tokens', needs: 'admin' },
    { method: 'GET', path: '/api/admin/integrations', needs: 'admin' },
    { method: 'GET', path: '/api/admin/identities', needs: 'admin' },
    { method: 'GET', path: '/api/admin/auto-grants', needs: 'admin' },
    { method: 'POST', path: '/api/admin/auto-grants', needs: 'admin', body: { domain: 'acme.test' } },
    { method: 'POST', path: `/api/admin/auto-grants/${randomUUID()}/delete`, needs: 'admin' },
    {
      method: 'POST',
      path: `/api/identities/${randomUUID()}/unlink`,
      needs: 'viewer',
      body: { provider: 'github', externalId: '1' },
    },
    { method: 'GET', path: '/api/admin/repositories', needs: 'admin' },
    {
      method: 'POST',
      path: '/api/admin/api-tokens',
      needs: 'admin',
      body: { name: 'ci', scopes: ['work:read'] },
    },
    { method: 'POST', path: `/api/admin/api-tokens/${randomUUID()}/revoke`, needs: 'admin' },
    { method: 'GET', path: `/api/pulls/${repo}/7`, needs: 'viewer' },
    { method: 'POST', path: `/api/pulls/${repo}/7/reviews`, needs: 'member', body: { event: 'APPROVE' } },
    { method: 'POST', path: `/api/pulls/${repo}/7/merge`, needs: 'member', body: {} },
    { method: 'GET', path: '/api/plans', needs: 'viewer' },
    { method: 'POST', path: '/api/plans', needs: 'member', body: { repo, title: 'Plan' } },
    { method: 'GET', path: `/api/plans/${randomUUID()}`, needs: 'viewer' },
    {
      method: 'PATCH',
      path: `/api/plans/${randomUUID()}`,
      needs: 'member',
      body: { version: 1, kind: 'details', title: 'Renamed' },
    },
    { method: 'POST', path: `/api/plans/${randomUUID()}/start`, needs: 'member', body: { version: 1 } },
    { method: 'POST', path: `/api/plans/${randomUUID()}/pm-agent`, needs: 'member', body: { version: 1 } },
    { method: 'GET', path: `/api/plans/${randomUUID()}/live`, needs: 'viewer' },
    {
      method: 'POST',
      path: `/api/plans/${randomUUID()}/presence`,
      needs: 'viewer',
      body: { editingItemId: null },
    },
  ];
}

import { canSee, highestRole, roleIn, satisfies, visibleRepos } from './access';

describe('console access', () => {
  const grants = [
    { repo: 'acme/web', role: 'admin' as const },
    { repo: '*', role: 'viewer' as const },
    { repo: 'acme/api', role: 'member' as const },
  ];

  it.each([
    ['viewer', 'viewer', true],
    ['viewer', 'member', false],
    ['member', 'viewer', true],
    ['admin', 'member', true],
    ['member', 'admin', false],
    [null, 'viewer', false],
  ] as const)('%s satisfies %s: %s', (role, needed, expected) => {
    expect(satisfies(role, needed)).toBe(expected);
  });

  it('takes the higher of a repository grant and the every-repository grant', () => {
    expect(roleIn(grants, 'acme/web')).toBe('admin');
    expect(roleIn(grants, 'acme/api')).toBe('member');
    expect(roleIn(grants, 'acme/other')).toBe('viewer');
    expect(roleIn([{ repo: 'acme/web', role: 'member' }], 'acme/other')).toBeNull();
    expect(highestRole(grants)).toBe('admin');
    expect(highestRole([])).toBeNull();
  });

  it('sees every repository only with a * grant at the level asked', () => {
    expect(visibleRepos(grants)).toEqual({ all: true });
    const members = visibleRepos(grants, 'member');
    expect(canSee(members, 'acme/api')).toBe(true);
    expect(canSee(members, 'acme/web')).toBe(true);
    expect(canSee(members, 'acme/other')).toBe(false);
    expect(canSee(visibleRepos([]), 'acme/web')).toBe(false);
  });
});

import { forgeLogin, localForgeNoreplyEmail } from './people';

describe('forgeLogin', () => {
  it('keeps a login as it is and turns a name into one', () => {
    expect(forgeLogin('ada', 'x')).toBe('ada');
    expect(forgeLogin('horizon[bot]', 'x')).toBe('horizon[bot]');
    expect(forgeLogin('Grace Hopper', 'x')).toBe('Grace-Hopper');
    expect(forgeLogin('  José Núñez! ', 'x')).toBe('Jose-Nunez');
  });

  it('falls back when nothing of the name is left', () => {
    expect(forgeLogin('🙂', 'console-user')).toBe('console-user');
  });
});

describe('localForgeNoreplyEmail', () => {
  it('names the login on the forge’s own domain', () => {
    expect(localForgeNoreplyEmail('Grace-Hopper')).toBe('Grace-Hopper@users.noreply.horizon.local');
  });
});

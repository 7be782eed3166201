import { LocalSandboxDriver } from './local-driver';

describe('LocalSandboxDriver readOnlyBinds', () => {
  it.each(['/workspace/runner.js', '/etc/passwd', '/opt/../etc/passwd', 'opt/x'])(
    'refuses a bind target outside /opt/ (%s) before touching the host',
    async (inside) => {
      await expect(
        LocalSandboxDriver.open({
          stateDir: '/nonexistent/state',
          readOnlyBinds: [{ host: '/bin/sh', inside }],
        }),
      ).rejects.toThrow(`read-only bind target "${inside}" must be a path under /opt/`);
    },
  );
});

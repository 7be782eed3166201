import { SandboxUnavailableError } from '@horizon/sandbox';
import { sandboxHostCheck } from './sandbox-lifecycle';

describe('the sandbox-host readiness check', () => {
  it('fails naming every primitive the host lacks', async () => {
    const check = sandboxHostCheck(async () => ({
      problems: [
        new SandboxUnavailableError(
          'bubblewrap',
          '/usr/bin/bwrap not found; install the Debian package bubblewrap',
        ),
        new SandboxUnavailableError('overlayfs', 'mounting the workspace overlay needs root'),
      ],
    }));
    expect(check.name).toBe('sandbox-host');
    await expect(check.check()).rejects.toThrow(
      'bubblewrap: /usr/bin/bwrap not found; install the Debian package bubblewrap; overlayfs: mounting the workspace overlay needs root',
    );
  });

  it('passes on a host that has them all', async () => {
    await expect(sandboxHostCheck(async () => ({ problems: [] })).check()).resolves.toBeUndefined();
  });
});

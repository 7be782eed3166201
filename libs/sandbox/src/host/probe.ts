import { access, constants, readFile } from 'node:fs/promises';
import { SandboxUnavailableError } from '../driver';
import { detectCgroups, type CgroupLayout } from './cgroups';
import { run } from './run';

export interface HostProbe {
  bwrap: { path: string; version: string } | null;
  /** bwrap could start a sandbox with every namespace as the unprivileged sandbox uid. */
  userNamespaces: boolean;
  /** The kernel overlay filesystem can be mounted here (needs root). */
  overlay: boolean;
  cgroups: CgroupLayout | null;
  /** setpriv and nsenter (util-linux) drop to the sandbox uid and enter a running sandbox. */
  utilLinux: boolean;
  /** Every missing primitive, as the refusal a driver would give. */
  problems: SandboxUnavailableError[];
}

export const hostTools = {
  bwrap: '/usr/bin/bwrap',
  setpriv: '/usr/bin/setpriv',
  nsenter: '/usr/bin/nsenter',
} as const;

async function executable(path: string): Promise<boolean> {
  return access(path, constants.X_OK).then(
    () => true,
    () => false,
  );
}

/** Reports which isolation primitives this host has, by trying them. */
export async function probeHost(sandboxUid = 100_000): Promise<HostProbe> {
  const problems: SandboxUnavailableError[] = [];
  const utilLinux = (await executable(hostTools.setpriv)) && (await executable(hostTools.nsenter));
  if (!utilLinux)
    problems.push(
      new SandboxUnavailableError(
        'util-linux',
        `${hostTools.setpriv} or ${hostTools.nsenter} missing; install the Debian package util-linux`,
      ),
    );

  const bwrap = (await executable(hostTools.bwrap))
    ? { path: hostTools.bwrap, version: (await run(hostTools.bwrap, ['--version'])).trim() }
    : null;
  if (!bwrap)
    problems.push(
      new SandboxUnavailableError(
        'bubblewrap',
        `${hostTools.bwrap} not found; install the Debian package bubblewrap`,
      ),
    );

  let userNamespaces = false;
  if (bwrap && utilLinux) {
    const uid = String(sandboxUid);
    const floor = ['--unshare-all', '--uid', '1000', '--gid', '1000', '--ro-bind', '/', '/', '/usr/bin/true'];
    userNamespaces = await run(hostTools.setpriv, [
      '--reuid',
      uid,
      '--regid',
      uid,
      '--clear-groups',
      hostTools.bwrap,
      ...floor,
    ]).then(
      () => true,
      (error: Error) => {
        problems.push(
          new SandboxUnavailableError(
            'user namespaces',
            `bwrap cannot create namespaces as uid ${uid} (${error.message}); enable them: sysctl kernel.unprivileged_userns_clone=1 and user.max_user_namespaces>0`,
          ),
        );
        return false;
      },
    );
  }

  const isRoot = process.geteuid?.() === 0;
  const overlay = isRoot && /\toverlay$/m.test(await readFile('/proc/filesystems', 'utf8'));
  if (!overlay) {
    problems.push(
      new SandboxUnavailableError(
        'overlayfs',
        isRoot
          ? 'the kernel has no overlay filesystem; load it: modprobe overlay'
          : 'mounting the workspace overlay needs root; run sandbox-manager as root',
      ),
    );
  }

  const cgroups = await detectCgroups().catch((error: unknown) => {
    if (error instanceof SandboxUnavailableError) problems.push(error);
    else throw error;
    return null;
  });
  if (cgroups && !isRoot)
    problems.push(
      new SandboxUnavailableError(
        'cgroups',
        'creating sandbox cgroups needs root; run sandbox-manager as root',
      ),
    );

  return { bwrap, userNamespaces, overlay, cgroups, utilLinux, problems };
}

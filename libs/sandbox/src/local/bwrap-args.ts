/** Host system paths as they are on this machine: merged-/usr hosts make /bin and /lib symlinks. */
export type SystemPath = { path: string; kind: 'dir' } | { path: string; kind: 'symlink'; target: string };

export const systemTopLevel = ['/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32'] as const;

/**
 * The few /etc entries tools need (TLS roots, alternatives symlinks, loader cache; fontconfig's,
 * without which Chromium finds no font), read-only.
 */
export const sharedEtc = [
  '/etc/alternatives',
  '/etc/fonts',
  '/etc/ssl',
  '/etc/ca-certificates',
  '/etc/ld.so.cache',
  '/etc/localtime',
  '/etc/nsswitch.conf',
  '/etc/protocols',
  '/etc/services',
] as const;

export interface BwrapLayout {
  insideUid: number;
  insideGid: number;
  hostname: string;
  systemPaths: SystemPath[];
  /** Host path → inside path, read-only (generated passwd, group, hosts; the forwarder, the egress socket). */
  readOnlyFiles: Array<{ host: string; inside: string }>;
  /** Host path → inside path, writable (workspace, home, tmp). */
  writableDirs: Array<{ host: string; inside: string }>;
  workspacePath: string;
}

/**
 * The bubblewrap command line: every namespace new (network: loopback only), an unprivileged
 * uid, read-only system directories, and only the sandbox's own folders writable.
 */
export function bwrapArgs(layout: BwrapLayout, command: readonly string[]): string[] {
  const args = [
    '--unshare-all',
    '--die-with-parent',
    '--new-session',
    '--uid',
    String(layout.insideUid),
    '--gid',
    String(layout.insideGid),
    '--hostname',
    layout.hostname,
    '--clearenv',
    '--ro-bind',
    '/usr',
    '/usr',
  ];
  for (const entry of layout.systemPaths) {
    if (entry.kind === 'symlink') args.push('--symlink', entry.target, entry.path);
    else args.push('--ro-bind', entry.path, entry.path);
  }
  for (const path of sharedEtc) args.push('--ro-bind-try', path, path);
  for (const file of layout.readOnlyFiles) args.push('--ro-bind', file.host, file.inside);
  for (const dir of layout.writableDirs) args.push('--bind', dir.host, dir.inside);
  args.push(
    '--proc',
    '/proc',
    '--dev',
    '/dev',
    '--chdir',
    layout.workspacePath,
    '--info-fd',
    '3',
    '--',
    ...command,
  );
  return args;
}

/** A shell prefix that moves itself into the sandbox's cgroups, then execs the rest. */
export function joinCgroupsThenExec(procsFiles: readonly string[], command: readonly string[]): string[] {
  // The shell exports the host's working directory as PWD; nothing of the host goes in.
  const script =
    'unset PWD OLDPWD; pid=$$; while [ "$1" != -- ]; do echo "$pid" > "$1" || exit 125; shift; done; shift; exec "$@"';
  return ['/bin/sh', '-c', script, 'horizon-cgroup-join', ...procsFiles, '--', ...command];
}

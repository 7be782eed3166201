import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { chmod, chown, copyFile, mkdir, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type {
  ExecOptions,
  ExposedPort,
  SandboxCommandLine,
  SandboxDriver,
  SandboxHandle,
  SandboxProcess,
  SandboxSpec,
  SandboxState,
  SandboxStatus,
} from '../driver';
import { EgressProxy } from '../egress/proxy';
import {
  createSandboxCgroup,
  existingSandboxCgroup,
  type CgroupLayout,
  type SandboxCgroup,
} from '../host/cgroups';
import { mountOverlay, unmountOverlay } from '../host/overlay';
import { hostTools, probeHost } from '../host/probe';
import { run } from '../host/run';
import { bwrapArgs, joinCgroupsThenExec, type SystemPath } from './bwrap-args';
import { ExposedPorts, checkSocketPath } from './port-forward';
import { readSystemPaths, sandboxEnv, waitForInit, writeSandboxEtc } from './sandbox-inside';

export interface LocalSandboxDriverOptions {
  /** Host folder holding each sandbox's layers, home, tmp and socket; root-owned. */
  stateDir: string;
  /** Unprivileged host uid/gid the sandbox's processes (and its files) map to. */
  hostUid?: number;
  hostGid?: number;
  insideUid?: number;
  insideGid?: number;
  /** Port inside the sandbox where the egress proxy appears. */
  proxyPort?: number;
  /** Name of the cgroup under which each sandbox gets its own. */
  cgroupParent?: string;
  /**
   * Host files bound read-only into every sandbox, at inside paths under `/opt/` (the
   * agent-runner's bundle and the harness binary). Each must be readable by the sandbox uid.
   */
  readOnlyBinds?: ReadonlyArray<{ host: string; inside: string }>;
}

interface LocalSandbox {
  handle: SandboxHandle;
  dir: string;
  cgroup: SandboxCgroup;
  init: ChildProcess;
  /** Host pid of the sandbox's pid-namespace init, the target for entering it. */
  initPid: number;
  proxy: EgressProxy | null;
  env: Record<string, string>;
  state: SandboxState;
  exposed: ExposedPorts;
}

/**
 * Sockets live under a short host path: bind() takes at most 107 bytes, and a state directory
 * deep in a home folder would put `<stateDir>/sandboxes/<id>/run/egress.sock` past it. Only the
 * egress socket itself is bound inside; `preview/` (exposed ports) is never visible there.
 */
const socketRoot = join(tmpdir(), 'horizon-egress');
const socketDirOf = (id: string) => join(socketRoot, id);

const workspacePath = '/workspace';
const forwarderInside = '/opt/horizon/egress-forwarder.js';
const nodeInside = '/opt/horizon/node';
const socketInside = '/run/horizon/egress.sock';
/** Where the egress proxy appears inside unless `proxyPort` says otherwise. */
export const defaultProxyPort = 3128;
/** The host copy of `egress/forwarder.js`: the egress init inside, and `exposePort` outside. */
const forwarderOnHost = (stateDir: string) => join(stateDir, 'runtime/egress-forwarder.js');
const validId = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/**
 * The `local` driver (DESIGN §6): bubblewrap namespaces, an overlayfs workspace mounted here
 * and bound in, cgroup limits and freezer, and the egress proxy on a bound Unix socket.
 */
export class LocalSandboxDriver implements SandboxDriver {
  readonly kind = 'local' as const;
  private readonly sandboxes = new Map<string, LocalSandbox>();
  private readonly uid: number;
  private readonly gid: number;
  private readonly insideUid: number;
  private readonly insideGid: number;
  private readonly proxyPort: number;
  private readonly cgroupParent: string;

  private constructor(
    private readonly options: LocalSandboxDriverOptions,
    private readonly cgroups: CgroupLayout,
    private readonly systemPaths: SystemPath[],
  ) {
    this.uid = options.hostUid ?? 100_000;
    this.gid = options.hostGid ?? this.uid;
    this.insideUid = options.insideUid ?? 1000;
    this.insideGid = options.insideGid ?? this.insideUid;
    this.proxyPort = options.proxyPort ?? defaultProxyPort;
    this.cgroupParent = options.cgroupParent ?? 'horizon';
  }

  /** Probes the host first: a missing primitive is a `SandboxUnavailableError`, not a weaker sandbox. */
  static async open(options: LocalSandboxDriverOptions): Promise<LocalSandboxDriver> {
    for (const bind of options.readOnlyBinds ?? []) {
      if (!bind.inside.startsWith('/opt/') || bind.inside.split('/').includes('..'))
        throw new Error(`read-only bind target "${bind.inside}" must be a path under /opt/`);
    }
    const probe = await probeHost(options.hostUid ?? 100_000);
    if (probe.problems.length > 0) throw probe.problems[0];
    await mkdir(join(options.stateDir, 'sandboxes'), { recursive: true, mode: 0o711 });
    await chmod(options.stateDir, 0o711);
    await mkdir(join(options.stateDir, 'runtime'), { recursive: true, mode: 0o755 });
    await copyFile(join(__dirname, '../egress/forwarder.js'), forwarderOnHost(options.stateDir));
    const driver = new LocalSandboxDriver(options, probe.cgroups!, await readSystemPaths());
    await driver.clearLeftovers();
    return driver;
  }

  /**
   * Sandboxes of an earlier sandbox-manager process in this state folder: their processes died
   * with it (--die-with-parent), their mounts, cgroups and folders did not. One driver per folder.
   */
  private async clearLeftovers(): Promise<void> {
    const root = join(this.options.stateDir, 'sandboxes');
    for (const id of await readdir(root)) {
      const cgroup = validId.test(id) ? existingSandboxCgroup(this.cgroups, this.cgroupParent, id) : null;
      await this.teardown(join(root, id), join(root, id, 'workspace'), cgroup, null);
    }
  }

  async create(spec: SandboxSpec): Promise<SandboxHandle> {
    if (!validId.test(spec.id)) throw new Error(`invalid sandbox id "${spec.id}"`);
    if (this.sandboxes.has(spec.id)) throw new Error(`sandbox ${spec.id} already exists`);
    const egress = spec.egress?.policy.network === 'proxy' ? spec.egress : null;
    if (spec.egress && spec.egress.policy.flavour !== spec.flavour) {
      throw new Error(`egress policy is for ${spec.egress.policy.flavour}, sandbox is ${spec.flavour}`);
    }
    const dir = join(this.options.stateDir, 'sandboxes', spec.id);
    const paths = {
      upper: join(dir, 'upper'),
      work: join(dir, 'work'),
      merged: join(dir, 'workspace'),
      home: join(dir, 'home'),
      tmp: join(dir, 'tmp'),
      run: socketDirOf(spec.id),
      etc: join(dir, 'etc'),
    };
    const handle: SandboxHandle = {
      id: spec.id,
      flavour: spec.flavour,
      workspaceHostPath: paths.merged,
      workspacePath,
      proxyUrl: egress ? `http://127.0.0.1:${this.proxyPort}` : null,
    };
    const socketPath = join(paths.run, 'egress.sock');
    if (egress) checkSocketPath(socketPath);
    await mkdir(dir, { mode: 0o700 });
    await mkdir(socketRoot, { recursive: true, mode: 0o755 });
    let cgroup: SandboxCgroup | null = null;
    let proxy: EgressProxy | null = null;
    try {
      await chown(dir, this.uid, this.gid);
      for (const path of Object.values(paths)) await mkdir(path, { mode: 0o755 });
      for (const path of [paths.upper, paths.home, paths.tmp]) await chown(path, this.uid, this.gid);
      await writeSandboxEtc(paths.etc, this.insideUid, this.insideGid);
      await mountOverlay({
        lower: spec.snapshotDir,
        upper: paths.upper,
        work: paths.work,
        merged: paths.merged,
      });
      cgroup = await createSandboxCgroup(this.cgroups, this.cgroupParent, spec.id, spec.resources);
      if (egress) {
        proxy = new EgressProxy({
          ...egress,
          socketPath,
          insidePort: this.proxyPort,
        });
        await proxy.start();
      }
      const initCommand = egress
        ? [nodeInside, forwarderInside, `127.0.0.1:${this.proxyPort}`, socketInside]
        : ['/bin/sh', '-c', 'echo ready; exec sleep infinity'];
      const layout = {
        insideUid: this.insideUid,
        insideGid: this.insideGid,
        hostname: 'sandbox',
        systemPaths: this.systemPaths,
        readOnlyFiles: [
          ...['passwd', 'group', 'hosts', 'hostname'].map((name) => ({
            host: join(paths.etc, name),
            inside: `/etc/${name}`,
          })),
          ...(egress
            ? [
                { host: forwarderOnHost(this.options.stateDir), inside: forwarderInside },
                // The forwarder runs on this very node binary, wherever the host installed it.
                { host: process.execPath, inside: nodeInside },
                // The socket alone, read-only (connecting needs no write): its folder stays out.
                { host: socketPath, inside: socketInside },
              ]
            : []),
          ...(this.options.readOnlyBinds ?? []),
        ],
        writableDirs: [
          { host: paths.merged, inside: workspacePath },
          { host: paths.home, inside: '/home/sandbox' },
          { host: paths.tmp, inside: '/tmp' },
        ],
        workspacePath,
      };
      const uid = String(this.uid);
      const gid = String(this.gid);
      const command = joinCgroupsThenExec(cgroup.procsFiles, [
        hostTools.setpriv,
        '--reuid', uid, '--regid', gid, '--clear-groups',
        hostTools.bwrap,
        ...bwrapArgs(layout, initCommand),
      ]); // prettier-ignore
      const init = spawn(command[0]!, command.slice(1), {
        stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
        env: {},
        cwd: '/',
      });
      const initPid = await waitForInit(init);
      this.sandboxes.set(spec.id, {
        handle,
        dir,
        cgroup,
        init,
        initPid,
        proxy,
        env: spec.env,
        state: 'running',
        exposed: new ExposedPorts({
          initPid,
          procsFiles: cgroup.procsFiles,
          uid: this.uid,
          gid: this.gid,
          forwarder: forwarderOnHost(this.options.stateDir),
          dir: join(paths.run, 'preview'),
        }),
      });
      return handle;
    } catch (error) {
      await this.teardown(dir, paths.merged, cgroup, proxy);
      throw error;
    }
  }

  /** Joins the cgroup, then enters every namespace of the init as the inside uid, no new privileges. */
  commandLine(
    handle: SandboxHandle,
    command: readonly string[],
    options: ExecOptions = {},
  ): SandboxCommandLine {
    const sandbox = this.running(handle);
    const argv = joinCgroupsThenExec(sandbox.cgroup.procsFiles, [
      hostTools.setpriv, '--clear-groups', '--no-new-privs',
      hostTools.nsenter, '--target', String(sandbox.initPid),
      '--user', '--mount', '--net', '--pid', '--ipc', '--uts', '--root', '--wd',
      '--setuid', String(this.insideUid), '--setgid', String(this.insideGid),
      '--', '/bin/sh', '-c', 'cd "$0" && exec "$@"', options.cwd ?? workspacePath, ...command,
    ]); // prettier-ignore
    return { argv, env: { ...sandboxEnv(sandbox.handle, sandbox.env), ...options.env } };
  }

  async exec(
    handle: SandboxHandle,
    command: readonly string[],
    options: ExecOptions = {},
  ): Promise<SandboxProcess> {
    const sandbox = this.running(handle);
    const oomBefore = await sandbox.cgroup.oomKills();
    const { argv, env } = this.commandLine(handle, command, options);
    const child = spawn(argv[0]!, argv.slice(1), {
      stdio: ['pipe', 'pipe', 'pipe'],
      cwd: '/',
      env,
      // Its own process group, so kill() reaches everything it started inside.
      detached: true,
    });
    const exit = once(child, 'exit').then(async ([code, signal]) => ({
      code: code as number | null,
      signal: signal as NodeJS.Signals | null,
      outOfMemory: (await sandbox.cgroup.oomKills().catch(() => oomBefore)) > oomBefore,
    }));
    return {
      stdin: child.stdin!,
      stdout: child.stdout!,
      stderr: child.stderr!,
      exit,
      kill: () => {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          // Already gone.
        }
      },
    };
  }

  async exposePort(handle: SandboxHandle, port: number): Promise<ExposedPort> {
    return this.running(handle).exposed.expose(port);
  }

  async pause(handle: SandboxHandle): Promise<void> {
    const sandbox = this.running(handle);
    await sandbox.cgroup.freeze();
    sandbox.state = 'paused';
  }

  async resume(handle: SandboxHandle): Promise<void> {
    const sandbox = this.known(handle);
    await sandbox.cgroup.thaw();
    sandbox.state = 'running';
  }

  async snapshot(handle: SandboxHandle, targetDir: string): Promise<void> {
    const sandbox = this.known(handle);
    const wasRunning = sandbox.state === 'running';
    if (wasRunning) await this.pause(handle);
    try {
      await mkdir(targetDir, { recursive: true });
      await run('cp', ['-a', '--reflink=auto', `${handle.workspaceHostPath}/.`, targetDir]);
    } finally {
      if (wasRunning) await this.resume(handle);
    }
  }

  async destroy(handle: SandboxHandle): Promise<void> {
    const sandbox = this.sandboxes.get(handle.id);
    if (!sandbox) return;
    this.sandboxes.delete(handle.id);
    sandbox.state = 'destroyed';
    // Its port forwarders die with its cgroup anyway; closing them first settles each ExposedPort.
    await sandbox.exposed.closeAll();
    await this.teardown(sandbox.dir, handle.workspaceHostPath, sandbox.cgroup, sandbox.proxy);
  }

  async status(handle: SandboxHandle): Promise<SandboxStatus> {
    const sandbox = this.sandboxes.get(handle.id);
    if (!sandbox)
      return { id: handle.id, state: 'destroyed', oomKills: 0, memoryBytes: 0, processes: 0, egress: null };
    return {
      id: handle.id,
      state: sandbox.state,
      oomKills: await sandbox.cgroup.oomKills(),
      memoryBytes: await sandbox.cgroup.memoryBytes(),
      processes: await sandbox.cgroup.processCount(),
      egress: sandbox.proxy?.stats() ?? null,
    };
  }

  private async teardown(
    dir: string,
    merged: string,
    cgroup: SandboxCgroup | null,
    proxy: EgressProxy | null,
  ): Promise<void> {
    await cgroup?.destroy();
    await unmountOverlay(merged);
    await proxy?.stop();
    await rm(dir, { recursive: true, force: true });
    await rm(socketDirOf(basename(dir)), { recursive: true, force: true });
  }

  private known(handle: SandboxHandle): LocalSandbox {
    const sandbox = this.sandboxes.get(handle.id);
    if (!sandbox) throw new Error(`sandbox ${handle.id} does not exist`);
    return sandbox;
  }

  private running(handle: SandboxHandle): LocalSandbox {
    const sandbox = this.known(handle);
    if (sandbox.state !== 'running') throw new Error(`sandbox ${handle.id} is ${sandbox.state}`);
    return sandbox;
  }
}

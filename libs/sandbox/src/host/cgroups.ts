import { access, mkdir, readFile, rmdir, writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { SandboxResources } from '@horizon/contracts';
import { SandboxUnavailableError } from '../driver';

const v1Controllers = ['memory', 'pids', 'cpu', 'freezer'] as const;
type V1Controller = (typeof v1Controllers)[number];
const v2Controllers = ['memory', 'pids', 'cpu'] as const;

/**
 * Where the host's cgroup controllers live. Pure v2 (one unified hierarchy with memory, pids
 * and cpu) is preferred; otherwise the v1 controllers, as on hybrid hosts whose unified mount
 * carries no memory controller.
 */
export type CgroupLayout =
  { mode: 'v2'; mount: string } | { mode: 'v1'; mounts: Record<V1Controller, string> };

interface MountedCgroup {
  mountPoint: string;
  fsType: 'cgroup' | 'cgroup2';
  options: string[];
}

export function parseCgroupMounts(mountinfo: string): MountedCgroup[] {
  return mountinfo.split('\n').flatMap((line) => {
    const [before, after] = line.split(' - ');
    if (!before || !after) return [];
    const [fsType, , superOptions] = after.split(' ');
    if (fsType !== 'cgroup' && fsType !== 'cgroup2') return [];
    return [{ mountPoint: before.split(' ')[4]!, fsType, options: (superOptions ?? '').split(',') }];
  });
}

export async function detectCgroups(): Promise<CgroupLayout> {
  const mounts = parseCgroupMounts(await readFile('/proc/self/mountinfo', 'utf8'));
  for (const unified of mounts.filter((m) => m.fsType === 'cgroup2')) {
    const available = (
      await readFile(`${unified.mountPoint}/cgroup.controllers`, 'utf8').catch(() => '')
    ).split(/\s+/);
    if (v2Controllers.every((c) => available.includes(c))) return { mode: 'v2', mount: unified.mountPoint };
  }
  const v1 = {} as Record<V1Controller, string>;
  for (const controller of v1Controllers) {
    const mount = mounts.find((m) => m.fsType === 'cgroup' && m.options.includes(controller));
    if (!mount) {
      throw new SandboxUnavailableError(
        `${controller} cgroup controller`,
        `not found as cgroup v2 (no unified mount with memory, pids and cpu) nor as a cgroup v1 mount in /proc/self/mountinfo; ` +
          `boot with cgroup v2 (systemd.unified_cgroup_hierarchy=1) or mount it: mount -t cgroup -o ${controller} cgroup /sys/fs/cgroup/${controller}`,
      );
    }
    v1[controller] = mount.mountPoint;
  }
  return { mode: 'v1', mounts: v1 };
}

/** One sandbox's cgroup(s): limits, the freezer, OOM accounting and teardown. */
export interface SandboxCgroup {
  /** Files a process writes its own pid into to join the sandbox (one per v1 controller). */
  readonly procsFiles: string[];
  freeze(): Promise<void>;
  thaw(): Promise<void>;
  oomKills(): Promise<number>;
  memoryBytes(): Promise<number>;
  processCount(): Promise<number>;
  /** Kills every process in it and removes it. */
  destroy(): Promise<void>;
}

export async function createSandboxCgroup(
  layout: CgroupLayout,
  parent: string,
  id: string,
  resources: SandboxResources,
): Promise<SandboxCgroup> {
  return layout.mode === 'v2'
    ? V2Cgroup.create(layout.mount, parent, id, resources)
    : V1Cgroup.create(layout.mounts, parent, id, resources);
}

/** A sandbox cgroup left by an earlier process, to be destroyed. */
export function existingSandboxCgroup(layout: CgroupLayout, parent: string, id: string): SandboxCgroup {
  return layout.mode === 'v2'
    ? new V2Cgroup(`${layout.mount}/${parent}/${id}`)
    : new V1Cgroup(v1Dirs(layout.mounts, parent, id));
}

function v1Dirs(
  mounts: Record<V1Controller, string>,
  parent: string,
  id: string,
): Record<V1Controller, string> {
  return Object.fromEntries(v1Controllers.map((c) => [c, `${mounts[c]}/${parent}/${id}`])) as Record<
    V1Controller,
    string
  >;
}

const cpuPeriodMicros = 100_000;
const mib = 1024 * 1024;

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

async function readNumber(path: string): Promise<number> {
  return Number((await readFile(path, 'utf8')).trim());
}

async function readKeyed(path: string, key: string): Promise<number> {
  const match = new RegExp(`^${key} (\\d+)$`, 'm').exec(await readFile(path, 'utf8'));
  return match ? Number(match[1]) : 0;
}

async function pidsIn(procsFile: string): Promise<number[]> {
  return (await readFile(procsFile, 'utf8').catch(() => '')).split('\n').filter(Boolean).map(Number);
}

async function waitFor(condition: () => Promise<boolean>, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

function killAll(pids: number[]): void {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}

/** rmdir on a cgroup fails with EBUSY until the kernel has reaped its last member. */
async function removeDir(path: string): Promise<void> {
  await waitFor(
    () =>
      rmdir(path).then(
        () => true,
        (error: NodeJS.ErrnoException) => error.code === 'ENOENT',
      ),
    `removal of ${path}`,
  );
}

class V1Cgroup implements SandboxCgroup {
  constructor(private readonly dirs: Record<V1Controller, string>) {}

  static async create(
    mounts: Record<V1Controller, string>,
    parent: string,
    id: string,
    resources: SandboxResources,
  ): Promise<V1Cgroup> {
    const dirs = v1Dirs(mounts, parent, id);
    for (const dir of Object.values(dirs)) await mkdir(dir, { recursive: true });
    const memoryLimit = String(resources.memoryMiB * mib);
    await writeFile(`${dirs.memory}/memory.limit_in_bytes`, memoryLimit);
    // Without swap accounting a hog would page out instead of hitting the limit.
    if (await exists(`${dirs.memory}/memory.memsw.limit_in_bytes`))
      await writeFile(`${dirs.memory}/memory.memsw.limit_in_bytes`, memoryLimit);
    await writeFile(`${dirs.pids}/pids.max`, String(resources.maxProcesses));
    await writeFile(`${dirs.cpu}/cpu.cfs_period_us`, String(cpuPeriodMicros));
    await writeFile(
      `${dirs.cpu}/cpu.cfs_quota_us`,
      String(Math.round((resources.cpuMillis * cpuPeriodMicros) / 1000)),
    );
    return new V1Cgroup(dirs);
  }

  get procsFiles(): string[] {
    return v1Controllers.map((c) => `${this.dirs[c]}/cgroup.procs`);
  }

  async freeze(): Promise<void> {
    await this.setFreezer('FROZEN');
  }

  async thaw(): Promise<void> {
    await this.setFreezer('THAWED');
  }

  private async setFreezer(state: 'FROZEN' | 'THAWED'): Promise<void> {
    const file = `${this.dirs.freezer}/freezer.state`;
    await writeFile(file, state);
    // The kernel reports FREEZING until every task has stopped, which on a loaded host can take
    // well over the 5 s other cgroup waits allow; a pause that is slow is still a pause.
    await waitFor(async () => (await readFile(file, 'utf8')).trim() === state, `freezer ${state}`, 30_000);
  }

  oomKills(): Promise<number> {
    return readKeyed(`${this.dirs.memory}/memory.oom_control`, 'oom_kill');
  }

  memoryBytes(): Promise<number> {
    return readNumber(`${this.dirs.memory}/memory.usage_in_bytes`);
  }

  processCount(): Promise<number> {
    return readNumber(`${this.dirs.pids}/pids.current`);
  }

  async destroy(): Promise<void> {
    if (await exists(this.dirs.freezer)) {
      // Frozen processes cannot fork while being killed; SIGKILL is delivered on thaw.
      await this.freeze();
      for (const file of this.procsFiles) killAll(await pidsIn(file));
      await this.thaw();
    }
    await waitFor(
      async () => (await Promise.all(this.procsFiles.map(pidsIn))).every((p) => p.length === 0),
      'sandbox processes to exit',
    );
    for (const dir of Object.values(this.dirs)) await removeDir(dir);
  }
}

class V2Cgroup implements SandboxCgroup {
  constructor(private readonly dir: string) {}

  static async create(
    mount: string,
    parent: string,
    id: string,
    resources: SandboxResources,
  ): Promise<V2Cgroup> {
    const enable = v2Controllers.map((c) => `+${c}`).join(' ');
    await writeFile(`${mount}/cgroup.subtree_control`, enable);
    await mkdir(`${mount}/${parent}`, { recursive: true });
    await writeFile(`${mount}/${parent}/cgroup.subtree_control`, enable);
    const dir = `${mount}/${parent}/${id}`;
    await mkdir(dir);
    await writeFile(`${dir}/memory.max`, String(resources.memoryMiB * mib));
    if (await exists(`${dir}/memory.swap.max`)) await writeFile(`${dir}/memory.swap.max`, '0');
    await writeFile(`${dir}/pids.max`, String(resources.maxProcesses));
    await writeFile(
      `${dir}/cpu.max`,
      `${Math.round((resources.cpuMillis * cpuPeriodMicros) / 1000)} ${cpuPeriodMicros}`,
    );
    return new V2Cgroup(dir);
  }

  get procsFiles(): string[] {
    return [`${this.dir}/cgroup.procs`];
  }

  async freeze(): Promise<void> {
    await this.setFrozen(1);
  }

  async thaw(): Promise<void> {
    await this.setFrozen(0);
  }

  private async setFrozen(frozen: 0 | 1): Promise<void> {
    await writeFile(`${this.dir}/cgroup.freeze`, String(frozen));
    await waitFor(
      async () => (await readKeyed(`${this.dir}/cgroup.events`, 'frozen')) === frozen,
      `cgroup.freeze ${frozen}`,
    );
  }

  oomKills(): Promise<number> {
    return readKeyed(`${this.dir}/memory.events`, 'oom_kill');
  }

  memoryBytes(): Promise<number> {
    return readNumber(`${this.dir}/memory.current`);
  }

  processCount(): Promise<number> {
    return readNumber(`${this.dir}/pids.current`);
  }

  async destroy(): Promise<void> {
    if (!(await exists(this.dir))) return;
    if (await exists(`${this.dir}/cgroup.kill`)) await writeFile(`${this.dir}/cgroup.kill`, '1');
    else {
      await this.freeze();
      killAll(await pidsIn(`${this.dir}/cgroup.procs`));
      await this.thaw();
    }
    await waitFor(
      async () => (await pidsIn(`${this.dir}/cgroup.procs`)).length === 0,
      'sandbox processes to exit',
    );
    await removeDir(this.dir);
  }
}

// `npm run bench -- sandbox [--boots 50] [--concurrent 20] [--large-mib 1024]` (as root).
// 1. Boot latency: create → first exec returns, from a warm snapshot, for a 1 MB and a 1 GB
//    repository (interleaved, so drift hits both), against a bare `bwrap true` floor.
// 2. Density: N idle sandboxes at once and the memory each costs beyond its processes:
//    the sandbox cgroup's memory usage minus the anonymous memory of its processes
//    (page cache, kernel memory of its mounts and namespaces). The host's MemAvailable delta
//    (everything, processes and the host-side proxy included) is printed alongside.
// Sandboxes are booted as a run's are: `implement` flavour, egress proxy and its forwarder.
import { execFileSync, spawn } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import { once } from 'node:events';
import {
  chmodSync,
  chownSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  rmdirSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  LocalSandboxDriver,
  defaultFlavourPolicies,
  probeHost,
  type CgroupLayout,
  type SandboxHandle,
} from '@horizon/sandbox';

const { values } = parseArgs({
  options: {
    boots: { type: 'string', default: '50' },
    concurrent: { type: 'string', default: '20' },
    'large-mib': { type: 'string', default: '1024' },
  },
});
const boots = Number(values.boots);
const concurrent = Number(values.concurrent);
const largeMiB = Number(values['large-mib']);
const sandboxUid = 100_000;
const cgroupParent = 'horizon-bench';
const resources = { memoryMiB: 4096, cpuMillis: 2000, maxProcesses: 512 };
const mib = 1024 * 1024;
const log = (line: string) => process.stderr.write(`[bench sandbox] ${line}\n`);

/** A lower layer as SnapshotStore leaves it: files of the sandbox uid under a root-owned 0555 top. */
function makeSnapshot(dir: string, totalBytes: number, files: number): void {
  const perFile = Math.ceil(totalBytes / files);
  const chunk = Buffer.alloc(perFile);
  for (let i = 0; i < files; i += 1) {
    const sub = join(dir, `d${i % 16}`);
    mkdirSync(sub, { recursive: true });
    randomFillSync(chunk);
    writeFileSync(join(sub, `f${i}.bin`), chunk);
  }
  writeFileSync(join(dir, 'README.md'), 'bench\n');
  execFileSync('chown', ['-R', `${sandboxUid}:${sandboxUid}`, dir]);
  chownSync(dir, 0, 0);
  chmodSync(dir, 0o555);
}

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const ms = (n: number) => n.toFixed(1);

async function bwrapTrue(): Promise<number> {
  const started = performance.now();
  const child = spawn('/usr/bin/setpriv', [
    '--reuid', String(sandboxUid), '--regid', String(sandboxUid), '--clear-groups',
    '/usr/bin/bwrap', '--unshare-all', '--die-with-parent', '--ro-bind', '/', '/', '/usr/bin/true',
  ], { stdio: 'ignore' }); // prettier-ignore
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`bwrap true exited ${code}`);
  return performance.now() - started;
}

function memAvailableBytes(): number {
  const match = /^MemAvailable:\s+(\d+) kB$/m.exec(readFileSync('/proc/meminfo', 'utf8'));
  return Number(match![1]) * 1024;
}

/** usage − anonymous memory of its processes, and that anonymous memory, for one sandbox cgroup. */
function cgroupMemory(layout: CgroupLayout, id: string): { beyond: number; anon: number } {
  if (layout.mode === 'v2') {
    const dir = `${layout.mount}/${cgroupParent}/${id}`;
    const usage = Number(readFileSync(`${dir}/memory.current`, 'utf8'));
    const anon = Number(/^anon (\d+)$/m.exec(readFileSync(`${dir}/memory.stat`, 'utf8'))![1]);
    return { beyond: usage - anon, anon };
  }
  const dir = `${layout.mounts.memory}/${cgroupParent}/${id}`;
  const usage = Number(readFileSync(`${dir}/memory.usage_in_bytes`, 'utf8'));
  const anon = Number(/^total_rss (\d+)$/m.exec(readFileSync(`${dir}/memory.stat`, 'utf8'))![1]);
  return { beyond: usage - anon, anon };
}

function removeCgroupParents(layout: CgroupLayout): void {
  const mounts = layout.mode === 'v2' ? [layout.mount] : Object.values(layout.mounts);
  for (const mount of new Set(mounts)) {
    try {
      rmdirSync(`${mount}/${cgroupParent}`);
    } catch {
      // Already gone, or never made.
    }
  }
}

async function main(): Promise<void> {
  if (process.geteuid?.() !== 0) throw new Error('run as root: sandboxes mount overlays and create cgroups');
  const probe = await probeHost(sandboxUid);
  if (probe.problems.length > 0) throw probe.problems[0];
  const layout = probe.cgroups!;
  // Short: each sandbox's egress socket path must stay under the Unix limit.
  const work = mkdtempSync(join(tmpdir(), 'hzn-bench-'));
  chmodSync(work, 0o711);
  const live: SandboxHandle[] = [];
  let driver: LocalSandboxDriver | undefined;
  const cleanup = async () => {
    for (const handle of live.splice(0)) await driver?.destroy(handle);
    rmSync(work, { recursive: true, force: true });
    removeCgroupParents(layout);
  };
  process.once('SIGINT', () => void cleanup().finally(() => process.exit(130)));
  try {
    let started = performance.now();
    const small = join(work, 'snap-1mb');
    const large = join(work, 'snap-1gb');
    makeSnapshot(small, mib, 16);
    makeSnapshot(large, largeMiB * mib, Math.max(16, largeMiB / 4));
    log(
      `generated 1 MB (16 files) and ${largeMiB} MB (${Math.max(16, largeMiB / 4)} files) snapshots in ${ms(performance.now() - started)} ms`,
    );

    driver = await LocalSandboxDriver.open({
      stateDir: join(work, 'driver'),
      hostUid: sandboxUid,
      cgroupParent,
    });
    let serial = 0;
    const create = (snapshotDir: string) => {
      const id = `b${(serial += 1)}`;
      return driver!.create({
        id,
        flavour: 'implement',
        snapshotDir,
        resources,
        env: {},
        egress: {
          policy: defaultFlavourPolicies.implement,
          run: { repo: { owner: 'bench', name: 'repo' }, branch: 'bench' },
          credentials: {},
          logFile: join(work, `${id}.egress.jsonl`),
        },
      });
    };
    const bootOnce = async (snapshotDir: string): Promise<number> => {
      const t0 = performance.now();
      const handle = await create(snapshotDir);
      live.push(handle);
      const first = await driver!.exec(handle, ['true']);
      first.stdin.end();
      first.stdout.resume();
      first.stderr.resume();
      const exit = await first.exit;
      const elapsed = performance.now() - t0;
      if (exit.code !== 0) throw new Error(`first exec exited ${exit.code}`);
      await driver!.destroy(handle);
      live.splice(live.indexOf(handle), 1);
      return elapsed;
    };

    const floor: number[] = [];
    for (let i = 0; i < boots; i += 1) floor.push(await bwrapTrue());
    for (let i = 0; i < 3; i += 1) await bootOnce(small);
    const samples = { small: [] as number[], large: [] as number[] };
    for (let i = 0; i < boots; i += 1) {
      samples.small.push(await bootOnce(small));
      samples.large.push(await bootOnce(large));
    }
    const p50Small = percentile(samples.small, 50);
    const p50Large = percentile(samples.large, 50);
    log(`bwrap true: p50 ${ms(percentile(floor, 50))} ms, p99 ${ms(percentile(floor, 99))} ms`);
    log(`boot 1 MB: p50 ${ms(p50Small)} ms, p99 ${ms(percentile(samples.small, 99))} ms (${boots} boots)`);
    log(
      `boot ${largeMiB} MB: p50 ${ms(p50Large)} ms, p99 ${ms(percentile(samples.large, 99))} ms (${boots} boots)`,
    );

    const availableBefore = memAvailableBytes();
    started = performance.now();
    for (let i = 0; i < concurrent; i += 1) live.push(await create(small));
    log(`${concurrent} idle sandboxes up in ${ms(performance.now() - started)} ms; settling 2 s`);
    await new Promise((r) => setTimeout(r, 2000));
    const memory = live.map((handle) => cgroupMemory(layout, handle.id));
    const availableDelta = availableBefore - memAvailableBytes();
    const beyond = memory.reduce((sum, m) => sum + m.beyond, 0) / memory.length / mib;
    const anon = memory.reduce((sum, m) => sum + m.anon, 0) / memory.length / mib;
    const alive = (await Promise.all(live.map((h) => driver!.status(h)))).filter(
      (s) => s.state === 'running',
    );
    log(
      `per idle sandbox: ${beyond.toFixed(2)} MiB beyond its processes (cgroup usage − anon), ` +
        `${anon.toFixed(2)} MiB anon in its processes; host MemAvailable fell ${(availableDelta / concurrent / mib).toFixed(2)} MiB per sandbox (all-in, noisy on a shared host)`,
    );
    process.stdout.write(
      `BENCH sandbox p50_1mb_ms=${ms(p50Small)} p99_1mb_ms=${ms(percentile(samples.small, 99))} ` +
        `p50_1gb_ms=${ms(p50Large)} p99_1gb_ms=${ms(percentile(samples.large, 99))} ` +
        `ratio_1gb_1mb=${(p50Large / p50Small).toFixed(2)} floor_bwrap_ms=${ms(percentile(floor, 50))} ` +
        `concurrent=${alive.length} mem_per_sandbox_mib=${beyond.toFixed(2)}\n`,
    );
  } finally {
    await cleanup();
  }
}

main().catch((error: Error) => {
  process.stderr.write(`[bench sandbox] failed: ${error.message}\n`);
  process.exit(1);
});

import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { LocalSandboxDriver, probeHost, type SandboxHandle } from '../src';
import {
  startNamedServer,
  type RunningServer,
  makeLowerLayer,
  sh,
  smallResources,
  tempDir,
  until,
} from '@horizon/testing';

describe('LocalSandboxDriver isolation (real bwrap, overlayfs, cgroups)', () => {
  const state = tempDir('isolation-state');
  const lower = tempDir('isolation-lower');
  let driver: LocalSandboxDriver;
  let internet: RunningServer;
  const handles: SandboxHandle[] = [];

  beforeAll(async () => {
    makeLowerLayer(lower.path, { 'README.md': 'snapshot\n', 'src/app.txt': 'app\n' });
    driver = await LocalSandboxDriver.open({ stateDir: state.path });
    internet = await startNamedServer('internet');
  });

  afterAll(async () => {
    for (const handle of handles) await driver.destroy(handle);
    await internet.close();
    state.remove();
    lower.remove();
  });

  async function boot(resources = smallResources): Promise<SandboxHandle> {
    const handle = await driver.create({
      id: `iso-${randomUUID()}`,
      flavour: 'verify',
      snapshotDir: lower.path,
      resources,
      env: { GREETING: 'hi' },
      egress: null,
    });
    handles.push(handle);
    return handle;
  }

  it('probes the host primitives it relies on', async () => {
    const probe = await probeHost();
    expect(probe).toMatchObject({ userNamespaces: true, overlay: true, utilLinux: true, problems: [] });
    expect(probe.bwrap?.version).toMatch(/^bubblewrap \d/);
    expect(['v1', 'v2']).toContain(probe.cgroups?.mode);
  });

  it('runs as an unprivileged uid over a copy-on-write workspace, leaving the snapshot untouched', async () => {
    const handle = await boot();
    const result = await sh(
      driver,
      handle,
      'id -u; pwd; cat README.md; echo changed > README.md; cat README.md; echo "$GREETING"',
    );
    expect(result.stdout.split('\n')).toEqual(['1000', '/workspace', 'snapshot', 'changed', 'hi', '']);
    expect(readFileSync(`${lower.path}/README.md`, 'utf8')).toBe('snapshot\n');
    expect(readFileSync(`${handle.workspaceHostPath}/README.md`, 'utf8')).toBe('changed\n');
  });

  it('cannot see host paths outside its binds, nor write the system', async () => {
    const handle = await boot();
    const result = await sh(
      driver,
      handle,
      `for p in /root /work /etc/shadow ${state.path} ${lower.path}; do if ls "$p" >/dev/null 2>&1; then echo "visible $p"; fi; done
       touch /usr/x 2>/dev/null && echo "wrote /usr"; echo done`,
    );
    expect(result.stdout).toBe('done\n');
  });

  it('has only loopback: the host network is unreachable', async () => {
    const handle = await boot();
    const result = await sh(
      driver,
      handle,
      `curl -sS -m 3 ${internet.url}/ ; echo "exit=$?"; ls /sys/class/net 2>/dev/null || cat /proc/net/dev`,
    );
    expect(result.stdout).toMatch(/exit=7/);
    expect(result.stdout).not.toMatch(/internet GET/);
    expect(result.stdout).not.toMatch(/eth|ens|veth/);
  });

  it('stops a fork bomb at the process limit', async () => {
    const handle = await boot({ ...smallResources, maxProcesses: 40 });
    // Each copy starts two more, then stays alive: only the pids limit stops the doubling.
    const bomb = await driver.exec(handle, [
      '/bin/sh',
      '-c',
      'bomb() { bomb & bomb & exec sleep 10; }; bomb',
    ]);
    bomb.stdin.end();
    let stderr = '';
    bomb.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    bomb.stdout.resume();
    // Wait for the shell to be refused a fork rather than a fixed time: on a loaded machine
    // the doubling takes longer to reach the limit.
    await until(() => /cannot fork/i.test(stderr), 'the bomb to hit the process limit');
    const during = await driver.status(handle);
    expect(during.processes).toBeLessThanOrEqual(40);
    expect(during.processes).toBeGreaterThan(30);
    bomb.kill();
    await bomb.exit;
    // The sandbox recovers once the bomb is gone.
    await sleep(200);
    expect((await sh(driver, handle, 'echo alive')).stdout).toBe('alive\n');
  });

  it('kills a memory hog at the memory limit and reports out-of-memory', async () => {
    const handle = await boot({ ...smallResources, memoryMiB: 64 });
    const result = await sh(driver, handle, 'head -c 512M /dev/zero | tail > /dev/null');
    expect(result.code === 137 || result.signal === 'SIGKILL' || result.code !== 0).toBe(true);
    expect(result.outOfMemory).toBe(true);
    expect((await driver.status(handle)).oomKills).toBeGreaterThan(0);
    const calm = await sh(driver, handle, 'echo fine');
    expect(calm).toMatchObject({ stdout: 'fine\n', outOfMemory: false });
  });

  it('pause stops a running counter and resume continues it', async () => {
    const handle = await boot();
    const counter = await driver.exec(handle, [
      '/bin/sh',
      '-c',
      'i=0; while true; do i=$((i+1)); echo $i > count.tmp; mv count.tmp count; sleep 0.02; done',
    ]);
    counter.stdin.end();
    const read = () => Number(readFileSync(`${handle.workspaceHostPath}/count`, 'utf8'));
    await sleep(300);
    await driver.pause(handle);
    expect((await driver.status(handle)).state).toBe('paused');
    const frozenAt = read();
    await sleep(400);
    expect(read()).toBe(frozenAt);
    await driver.resume(handle);
    await sleep(400);
    expect(read()).toBeGreaterThan(frozenAt + 3);
    counter.kill();
    await counter.exit;
  });

  it('a driver opened on the same state folder clears sandboxes an earlier one left', async () => {
    const handle = await boot();
    const sandboxDir = `${state.path}/sandboxes/${handle.id}`;
    await LocalSandboxDriver.open({ stateDir: state.path });
    expect(existsSync(sandboxDir)).toBe(false);
    expect(readFileSync('/proc/self/mountinfo', 'utf8')).not.toContain(handle.id);
    expect(existsSync(`/sys/fs/cgroup/pids/horizon/${handle.id}`)).toBe(false);
  });

  it('destroy leaves no process, mount, cgroup or folder behind', async () => {
    const handle = await boot();
    const sleeper = await driver.exec(handle, ['/bin/sh', '-c', 'sleep 600 & sleep 600 & wait']);
    sleeper.stdin.end();
    const sandboxDir = `${state.path}/sandboxes/${handle.id}`;
    expect(existsSync(sandboxDir)).toBe(true);
    await driver.destroy(handle);
    handles.splice(handles.indexOf(handle), 1);

    await expect(sleeper.exit).resolves.toBeDefined();
    expect(existsSync(sandboxDir)).toBe(false);
    expect(readFileSync('/proc/self/mountinfo', 'utf8')).not.toContain(handle.id);
    for (const controller of ['memory', 'pids', 'cpu', 'freezer']) {
      expect(existsSync(`/sys/fs/cgroup/${controller}/horizon/${handle.id}`)).toBe(false);
    }
    const leftovers = readdirSync('/proc')
      .filter((name) => /^\d+$/.test(name))
      .filter((pid) => {
        try {
          return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(handle.id);
        } catch {
          return false;
        }
      });
    expect(leftovers).toEqual([]);
    expect((await driver.status(handle)).state).toBe('destroyed');
  });
});

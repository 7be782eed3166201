import { randomUUID } from 'node:crypto';
import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import {
  LocalSandboxDriver,
  chromiumInside,
  defaultFlavourPolicies,
  type ExposedPort,
  type SandboxEgressSpec,
  type SandboxHandle,
} from '../src';
import {
  makeLowerLayer,
  readLines,
  screenshotPath,
  sh,
  smallResources,
  tempDir,
  until,
} from '@horizon/testing';

const page = '<!doctype html><title>Preview</title><h1>Hello from the implement sandbox</h1>\n';
const previewHost = 'preview.horizon';
const run = { repo: { owner: 'acme', name: 'app' }, branch: 'horizon/run-1' };
// Chromium's processes need more room than a shell's.
const browserResources = { memoryMiB: 1024, cpuMillis: 2000, maxProcesses: 256 };

function getOverSocket(socketPath: string, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get({ socketPath, path, headers: { host: previewHost } }, (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

/** A POSIX shell word for any string. */
const shellWord = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

describe('sandbox to sandbox: the preview route (real bwrap, nsenter, egress proxy, Chromium)', () => {
  const dirs = {
    state: tempDir('preview-state'),
    lower: tempDir('preview-lower'),
    artifacts: tempDir('preview-artifacts'),
  };
  let driver: LocalSandboxDriver;
  let implement: SandboxHandle;
  let preview: ExposedPort;
  const handles: SandboxHandle[] = [];

  async function boot(
    flavour: 'implement' | 'verify',
    egress: SandboxEgressSpec | null,
    resources = smallResources,
  ): Promise<SandboxHandle> {
    const handle = await driver.create({
      id: `preview-${randomUUID()}`,
      flavour,
      snapshotDir: dirs.lower.path,
      resources,
      env: {},
      egress,
    });
    handles.push(handle);
    return handle;
  }

  const verifyEgress = (logFile: string, withPreview: boolean): SandboxEgressSpec => ({
    policy: defaultFlavourPolicies.verify,
    run,
    credentials: {},
    logFile,
    ...(withPreview ? { preview: { host: previewHost, socketPath: preview.socketPath } } : {}),
  });

  beforeAll(async () => {
    makeLowerLayer(dirs.lower.path, { 'site/index.html': page });
    driver = await LocalSandboxDriver.open({ stateDir: dirs.state.path });
    implement = await boot('implement', null);
    const server = await driver.exec(implement, [
      'python3', '-m', 'http.server', '8080', '--bind', '127.0.0.1', '--directory', 'site',
    ]); // prettier-ignore
    server.stdin.end();
    server.stdout.resume();
    server.stderr.resume();
    await until(
      async () => (await sh(driver, implement, 'curl -sf http://127.0.0.1:8080/ >/dev/null')).code === 0,
      'the web server inside the implement sandbox',
    );
    preview = await driver.exposePort(implement, 8080);
  });

  afterAll(async () => {
    for (const handle of handles) await driver.destroy(handle);
    for (const dir of Object.values(dirs)) dir.remove();
  });

  it('exposes a port of one sandbox as a host socket, one per port', async () => {
    expect(await driver.exposePort(implement, 8080)).toBe(preview);
    expect(await getOverSocket(preview.socketPath, '/')).toEqual({ status: 200, body: page });
  });

  it('lets a verify sandbox reach the preview through its proxy, and nothing else', async () => {
    const logFile = join(dirs.artifacts.path, 'verify.jsonl');
    const verify = await boot('verify', verifyEgress(logFile, true));
    const proxied = await sh(driver, verify, `curl -sS -x http://127.0.0.1:3128 http://${previewHost}/`);
    expect(proxied.stdout).toBe(page);
    const other = await sh(
      driver,
      verify,
      `curl -sS -o /dev/null -w '%{http_code}\\n' -x http://127.0.0.1:3128 http://example.com/
       curl -sS -p -x http://127.0.0.1:3128 http://${previewHost}/ ; echo "connect exit=$?"
       curl -sS -m 3 http://127.0.0.1:8080/ ; echo "direct exit=$?"`,
    );
    expect(other.stdout).toMatch(/^403\n/);
    expect(other.stderr).toMatch(/CONNECT tunnel failed, response 403/);
    expect(other.stdout).toMatch(/connect exit=56/);
    // Port 8080 is the implement sandbox's loopback, not this one's.
    expect(other.stdout).toMatch(/direct exit=7/);

    const log = readLines(logFile);
    expect(log).toContainEqual(
      expect.objectContaining({ kind: 'preview', method: 'GET', host: previewHost, path: '/', status: 200 }),
    );
    expect(log).toContainEqual(
      expect.objectContaining({
        kind: 'http',
        host: 'example.com:80',
        status: 403,
        refused: expect.any(String),
      }),
    );
    expect(log).toContainEqual(
      expect.objectContaining({ kind: 'connect', host: `${previewHost}:80`, status: 403 }),
    );
  });

  it('refuses everything from a verify sandbox given no preview', async () => {
    const logFile = join(dirs.artifacts.path, 'no-preview.jsonl');
    const verify = await boot('verify', verifyEgress(logFile, false));
    const result = await sh(
      driver,
      verify,
      `curl -sS -o /dev/null -w '%{http_code}\\n' -x http://127.0.0.1:3128 http://${previewHost}/`,
    );
    expect(result.stdout).toBe('403\n');
    expect(readLines(logFile)).toEqual([expect.objectContaining({ kind: 'http', status: 403 })]);
  });

  it('runs Chromium inside the verify sandbox, driven from the host by Playwright over its pipes', async () => {
    const logFile = join(dirs.artifacts.path, 'browser.jsonl');
    const verify = await boot('verify', verifyEgress(logFile, true), browserResources);
    const { argv, env } = driver.commandLine(verify, [chromiumInside.executable]);
    // Playwright starts its executable with Chromium's arguments and pipes on fds 3 and 4.
    const wrapper = join(dirs.state.path, 'chromium-in-verify.sh');
    writeFileSync(wrapper, `#!/bin/sh\nexec ${argv.map(shellWord).join(' ')} "$@"\n`);
    chmodSync(wrapper, 0o755);
    const browser = await chromium.launch({ executablePath: wrapper, args: chromiumInside.args, env });
    try {
      const tab = await browser.newPage();
      await tab.goto(`http://${previewHost}/`);
      expect(await tab.content()).toContain('Hello from the implement sandbox');
      const png = await tab.screenshot({ path: screenshotPath('sandbox-preview-route') });
      expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
      const { memoryBytes, processes } = await driver.status(verify);
      process.stdout.write(
        `[preview-route] verify sandbox with Chromium after a screenshot: ${(memoryBytes / 2 ** 20).toFixed(1)} MiB, ${processes} tasks\n`,
      );
    } finally {
      await browser.close();
    }
    const log = readLines(logFile);
    expect(log).toContainEqual(
      expect.objectContaining({ kind: 'preview', host: previewHost, path: '/', status: 200 }),
    );
    // Whatever else Chromium asked for (its own update checks) was refused.
    expect(log.filter((entry) => entry.kind !== 'preview' && !entry.refused)).toEqual([]);
  }, 60_000);

  it('closes an exposed port on close() and with its sandbox, paused or not', async () => {
    const other = await boot('implement', null);
    const first = await driver.exposePort(other, 9000);
    expect(existsSync(first.socketPath)).toBe(true);
    await first.close();
    expect(existsSync(first.socketPath)).toBe(false);
    const second = await driver.exposePort(other, 9000);
    expect(second).not.toBe(first);
    await driver.pause(other);
    await driver.destroy(other);
    handles.splice(handles.indexOf(other), 1);
    expect(existsSync(second.socketPath)).toBe(false);
    // Another sandbox's exposed port is untouched.
    expect((await getOverSocket(preview.socketPath, '/')).status).toBe(200);
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { bundleRunner } from '@horizon/runner-launch';
import {
  createTestDatabase,
  createTestMessaging,
  startServiceProcess,
  type ServiceProcess,
  type TestDatabase,
  type TestMessaging,
} from '@horizon/testing';

const ROOT = path.resolve(__dirname, '..', '..');
const tools = (file: string) => import(pathToFileURL(path.join(ROOT, 'tools', 'lib', file)).href);

// Production runs the bundles `npm run build` makes (tools/lib/service-build.mjs): swc for the
// decorator metadata Nest injects by, esbuild for the rest. These three carry what a bundle can
// get wrong: Nest's injection everywhere, the console's web folder and sandbox-manager's egress
// forwarder found through `__dirname`, and the agent runner prebuilt instead of bundled at start.
describe('built services (npm run build)', () => {
  let db: TestDatabase;
  let messaging: TestMessaging;
  let dataDir: string;
  let services: ServiceProcess[] = [];

  beforeAll(async () => {
    const { buildService } = (await tools('service-build.mjs')) as {
      buildService: (name: string) => Promise<unknown>;
    };
    const { RUNNER_BUNDLE } = (await tools('services.mjs')) as { RUNNER_BUNDLE: string };
    [db, messaging] = await Promise.all([createTestDatabase(), createTestMessaging()]);
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hzn-built-'));
    // `npm test` has just built every bundle (tools/test.mjs), and other suites run them: a
    // rebuild here would rewrite files they are starting from.
    if (process.env.HORIZON_TEST_BUNDLES !== '1') {
      for (const name of ['orchestrator', 'console', 'sandbox-manager']) await buildService(name);
      await bundleRunner(RUNNER_BUNDLE);
    }
    const options = { db, messaging, dataDir, built: true };
    services = await Promise.all([
      startServiceProcess('orchestrator', options),
      startServiceProcess('console', options),
      startServiceProcess('sandbox-manager', {
        ...options,
        env: {
          SANDBOX_RUNNER_BUNDLE: RUNNER_BUNDLE,
          SANDBOX_FORGE_URL: path.join(dataDir, 'forge'),
        },
      }),
    ]);
  }, 60_000);

  afterAll(async () => {
    await Promise.all(services.map((s) => s.stop()));
    await Promise.all([messaging?.cleanup(), db?.drop()]);
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('start from their bundles and answer /healthz and /readyz', async () => {
    for (const service of services) {
      expect((await fetch(`${service.url}/healthz`)).status).toBe(200);
      const ready = await fetch(`${service.url}/readyz`);
      expect({ service: service.service, status: ready.status }).toEqual({
        service: service.service,
        status: 200,
      });
    }
  });

  it('find the files their sources reach through __dirname', async () => {
    const consoleService = services.find((s) => s.service === 'console')!;
    const page = await fetch(`${consoleService.url}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root">');
    // sandbox-manager copied the egress forwarder (libs/sandbox/src/egress) and the prebuilt runner.
    const runtime = path.join(dataDir, 'sandbox', 'driver', 'runtime', 'egress-forwarder.js');
    expect(fs.readFileSync(runtime, 'utf8')).toBe(
      fs.readFileSync(path.join(ROOT, 'libs', 'sandbox', 'src', 'egress', 'forwarder.js'), 'utf8'),
    );
    const { RUNNER_BUNDLE } = (await tools('services.mjs')) as { RUNNER_BUNDLE: string };
    expect(fs.readFileSync(path.join(dataDir, 'runner', 'agent-runner.js'))).toEqual(
      fs.readFileSync(RUNNER_BUNDLE),
    );
  });

  it('run from only the files an image holds (tools/lib/runtime-files.mjs), away from node_modules', async () => {
    const { copyRuntimeFiles } = (await tools('runtime-files.mjs')) as {
      copyRuntimeFiles: (out: string, services: string[]) => Promise<Record<string, number>>;
    };
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'hzn-image-'));
    try {
      const sizes = await copyRuntimeFiles(out, ['console']);
      expect(sizes.console).toBeLessThan(60e6);
      const image = await startServiceProcess('console', {
        db,
        messaging,
        dataDir,
        built: true,
        root: path.join(out, 'console'),
      });
      services.push(image);
      expect((await fetch(`${image.url}/readyz`)).status).toBe(200);
      expect(await (await fetch(`${image.url}/`)).text()).toContain('<div id="root">');
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  }, 120_000);
});

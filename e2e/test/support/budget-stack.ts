import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { parseConfig } from '@horizon/config';
import { ingressCreateApiToken, orchestratorGetWorkItem, type WorkItemView } from '@horizon/contracts';
import { IngressModule, ingressConfigShape } from '@horizon/ingress';
import { RpcClient } from '@horizon/messaging';
import { OrchestratorModule, orchestratorConfigShape } from '@horizon/orchestrator';
import { SandboxManagerModule, sandboxManagerConfigShape } from '@horizon/sandbox-manager';
import {
  ScriptedModelServer,
  git,
  loadScript,
  makeRepo,
  startGitServer,
  tempDir,
  until,
  type RunningServer,
  runCli,
  type CliResult,
} from '@horizon/testing';
import { ServicesUnderTest } from './services';

/** What the scripted provider reports for every response of `fix-greeting.yaml` (300 in, 30 out). */
export const perResponse = 330;
/** The run limit of a budget stack: past the second response, a run's third model request is held. */
export const runLimit = 2 * perResponse - 10;

export interface BudgetStackOptions {
  name: string;
  /** Repositories `acme/<name>` with the `budgets:` block of their `.horizon/config.yaml`. */
  repos: Record<string, string>;
  /** Tags of the runs: a run whose prompt holds `[tag]` plays `fix-greeting.yaml`. */
  tags: string[];
  orchestrator?: Record<string, string>;
  ingress?: Record<string, string>;
  /** Services booted before the orchestrator (identity-broker, the notifier). */
  before?: (services: ServicesUnderTest) => Promise<void>;
}

/**
 * The services a budget acts through, in-process on the suite's own database and streams: the
 * orchestrator (with `runLimit` as its run limit), sandbox-manager with real bwrap sandboxes,
 * real OpenCode and its egress proxy before a scripted provider, a git forge, and ingress's
 * work API with a token that may answer.
 */
export class BudgetStack {
  readonly forgeDir = tempDir('budgets-forge');
  private readonly workDir = tempDir('budgets-work');
  private readonly stateDir = tempDir('budgets-state');
  services!: ServicesUnderTest;
  model!: ScriptedModelServer;
  rpc!: RpcClient;
  ingressUrl = '';
  private forge!: RunningServer;
  private sandboxManager!: INestApplication;
  private bootSandboxManager!: () => Promise<INestApplication>;
  private apiToken = '';

  static async start(options: BudgetStackOptions): Promise<BudgetStack> {
    const stack = new BudgetStack();
    await stack.boot(options);
    return stack;
  }

  private async boot(options: BudgetStackOptions): Promise<void> {
    for (const [name, budgets] of Object.entries(options.repos)) this.makeRemote(name, budgets);
    const token = `ghs_${randomUUID().replace(/-/g, '')}`;
    const fixGreeting = loadScript('fix-greeting.yaml');
    [this.services, this.forge, this.model] = await Promise.all([
      ServicesUnderTest.start(options.name),
      startGitServer(this.forgeDir.path, token),
      ScriptedModelServer.start({
        scripts: options.tags.map((tag) => ({
          ...fixGreeting,
          title: `Budget ${tag}`,
          when: { userContains: `[${tag}]` },
        })),
        vars: { workdir: '/workspace', greeting: 'Hello, Horizon' },
      }),
    ]);
    const services = this.services;
    await options.before?.(services);
    await services.boot('orchestrator', (port, env) =>
      OrchestratorModule.register(
        parseConfig(orchestratorConfigShape, {
          ...env,
          ORCHESTRATOR_PORT: port,
          SCHEDULER_INTERVAL_MS: '300',
          BUDGET_RUN_TOKENS: String(runLimit),
          ...options.orchestrator,
        }),
      ),
    );
    const hostName = `${options.name}-${randomUUID().slice(0, 8)}`;
    this.bootSandboxManager = () =>
      services.boot('sandbox-manager', (port, env) =>
        SandboxManagerModule.register(
          parseConfig(sandboxManagerConfigShape, {
            ...env,
            SANDBOX_MANAGER_PORT: port,
            SANDBOX_STATE_DIR: this.stateDir.path,
            SANDBOX_HOST_NAME: hostName,
            SANDBOX_FORGE_URL: this.forge.url,
            SANDBOX_FORGE_TOKEN: token,
            SANDBOX_MODEL_BASE_URL: this.model.baseUrl,
            SANDBOX_MODEL_API_KEY: `sk-${randomUUID()}`,
            RUN_MODEL: 'scripted',
            RUN_GRACE_MS: '5000',
            SNAPSHOT_KEEP: '1',
          }),
        ),
      );
    this.sandboxManager = await this.bootSandboxManager();
    await services.boot('ingress', (port, env) => {
      this.ingressUrl = `http://127.0.0.1:${port}`;
      return IngressModule.register(
        parseConfig(ingressConfigShape, { ...env, INGRESS_PORT: port, ...options.ingress }),
      );
    });
    this.rpc = new RpcClient(services.conn, `${options.name}-test`);
    const scopes = ['work:read', 'work:write'] as const;
    this.apiToken = (
      await this.rpc.call(ingressCreateApiToken, { name: 'owner', scopes: [...scopes], expiresAt: null })
    ).token;
  }

  async close(): Promise<void> {
    await this.services?.stop();
    await this.forge?.close();
    await this.model?.close();
    for (const dir of [this.forgeDir, this.workDir, this.stateDir]) dir.remove();
  }

  private makeRemote(name: string, budgets: string): void {
    const origin = path.join(this.workDir.path, name);
    makeRepo(origin, [
      {
        'greeting.js': "module.exports = () => 'Hello';\n",
        'greeting.test.js':
          "const test = require('node:test');\nconst assert = require('node:assert');\n" +
          "test('greets Horizon', () => assert.strictEqual(require('./greeting')(), 'Hello, Horizon'));\n",
        '.horizon/config.yaml': `setup: []\nverify:\n  - node --test\n${budgets}`,
      },
    ]);
    git(this.workDir.path, 'clone', '--quiet', '--bare', origin, this.bare(name));
  }

  /** The forge's copy of `acme/<name>`. */
  bare(name: string): string {
    return path.join(this.forgeDir.path, 'acme', `${name}.git`);
  }

  /** sandbox-manager stopped (its sandboxes with it, as on a host's restart) and started again. */
  async restartSandboxManager(): Promise<void> {
    await this.services.close(this.sandboxManager);
    this.sandboxManager = await this.bootSandboxManager();
  }

  /** The CLI as a user runs it, its own process, against this stack's ingress and NATS. */
  cli(...args: string[]): Promise<CliResult> {
    const env = {
      NATS_URL: this.services.messaging.natsUrl,
      HZN_STREAM_PREFIX: this.services.messaging.prefix,
      INGRESS_PORT: new URL(this.ingressUrl).port,
      HORIZON_API_TOKEN: this.apiToken,
    };
    return runCli(args, env, 30_000);
  }

  /** The work API with the stack's token. */
  async api(route: string, init: { method?: string; body?: unknown } = {}) {
    const res = await fetch(`${this.ingressUrl}/api/v1${route}`, {
      method: init.method ?? 'GET',
      headers: { authorization: `Bearer ${this.apiToken}`, 'content-type': 'application/json' },
      ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
    });
    return { status: res.status, body: (await res.json().catch(() => null)) as Record<string, unknown> };
  }

  async item(id: string): Promise<WorkItemView> {
    return (await this.api(`/work-items/${id}`)).body as unknown as WorkItemView;
  }

  /** The item with its runs, as the orchestrator answers it. */
  async detail(id: string) {
    return (await this.rpc.call(orchestratorGetWorkItem, { workItemId: id })).workItem!;
  }

  untilState(id: string, state: string, timeoutMs = 60_000): Promise<WorkItemView> {
    return until(
      async () => {
        const found = await this.item(id);
        return found.state === state ? found : null;
      },
      `work item ${id} to be ${state}`,
      timeoutMs,
      250,
    );
  }
}

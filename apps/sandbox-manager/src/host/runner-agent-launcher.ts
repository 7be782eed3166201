import { createWriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import type {
  AgentRunKind,
  AgentRunSpecInput,
  CommitPerson,
  FrictionEvent,
  ModelProvider,
  RunReport,
} from '@horizon/contracts';
import { harnessMismatch } from '@horizon/contracts';
import { emptyReport, launchAgentRun } from '@horizon/runner-launch';
import {
  browserChecksSchema,
  readBrowserChecks,
  readRepoConfig,
  type BrowserChecks,
  type SandboxDriver,
} from '@horizon/sandbox';
import type {
  AgentLauncher,
  AgentRunOptions,
  AgentRunResult,
  AgentRunTarget,
  RepositoryRemote,
  RunArtifact,
} from '../application/ports';
import { slowSetupFriction, type SlowSetupThresholds } from '../domain/slow-setup';
import type { SandboxBrowserVerifier } from './browser/verifier';
import { listArtifacts } from './file-run-journal';
import type { McpAccess } from './mcp-access';
import type { OwnerDirectory } from './owner-directory';

export interface RunnerAgentLauncherOptions {
  driver: SandboxDriver;
  remote: RepositoryRemote;
  artifactsDir: string;
  /** Author and committer of the agent's commits. */
  agent: CommitPerson;
  /** The provider's wire, and the model ids the agent asks it for. */
  models: { provider: ModelProvider; model: string; smallModel?: string };
  /** Whether the egress proxy has a model provider to forward to. */
  modelConfigured: boolean;
  owners: OwnerDirectory;
  mcp: McpAccess | null;
  /** After a cancel or past the deadline, how long the runner has to report before it is killed. */
  graceMs: number;
  /** A sandbox slower than these to get ready is `slow_setup` friction of its run. */
  slowSetup: SlowSetupThresholds;
  /** Checks a run's preview in a browser; null: runs with a `preview` get `skipped` checks. */
  browser: SandboxBrowserVerifier | null;
}

/**
 * sandbox-manager's AgentLauncher: builds the run spec from the provision command, the
 * repository's `.horizon/config.yaml` and the configuration, runs the bundled agent-runner
 * in the sandbox (`launchAgentRun`), and keeps its transcript and verification logs as files.
 */
export class RunnerAgentLauncher implements AgentLauncher {
  constructor(private readonly options: RunnerAgentLauncherOptions) {}

  get refusal(): string | null {
    return this.options.modelConfigured
      ? null
      : 'no model provider configured: set SANDBOX_MODEL_PROVIDER and SANDBOX_MODEL_API_KEY (and SANDBOX_MODEL_BASE_URL for an OpenAI-compatible one) for sandbox-manager';
  }

  async run(
    target: AgentRunTarget,
    { onEvent, signal, followUps, deadline }: AgentRunOptions,
  ): Promise<AgentRunResult> {
    const { provision, booted } = target;
    const dir = join(this.options.artifactsDir, provision.sandboxId);
    const transcript = createWriteStream(join(dir, 'transcript.jsonl'), { flags: 'a', mode: 0o600 });
    // What the host saw before the runner started: it is in no transcript, so it is added here.
    const gaps: FrictionEvent[] = slowSetupFriction(booted.timings, this.options.slowSetup);
    let report: RunReport;
    const evidence: RunArtifact[] = [];
    try {
      const spec = await this.spec(target, gaps);
      // Read at the base, before the agent runs: a change cannot rewrite the checks it is held to.
      const checks = spec.preview
        ? await browserChecksOf(booted.handle.workspaceHostPath, spec.preview.readyPath ?? '/')
        : null;
      const browser = this.options.browser;
      report = await launchAgentRun(this.options.driver, booted.handle, spec, {
        onEvent: (event) => {
          transcript.write(`${JSON.stringify(event)}\n`);
          onEvent(event);
        },
        signal,
        graceMs: this.options.graceMs,
        followUps,
        ...(deadline ? { deadline } : {}),
        ...(browser && checks
          ? {
              onBrowserCheck: async (request) => {
                const checked = await browser.check(
                  { runId: provision.runId, sandboxId: provision.sandboxId, repo: provision.repo, branch: provision.branch, handle: booted.handle, checks, artifactsDir: dir },
                  request,
                ); // prettier-ignore
                evidence.push(...checked.artifacts);
                return checked.result;
              },
            }
          : {}),
      });
    } catch (error) {
      report = emptyReport('infra_error', `the agent-runner could not start: ${(error as Error).message}`);
    } finally {
      transcript.end();
      await finished(transcript).catch(() => undefined);
    }
    if (report.verification.length > 0)
      await writeFile(join(dir, 'verification.log'), verificationLog(report), { mode: 0o600 });
    return {
      report: { ...report, friction: [...gaps, ...report.friction] },
      artifacts: [...(await listArtifacts(dir)), ...evidence],
    };
  }

  private async spec(
    { provision, booted }: AgentRunTarget,
    gaps: FrictionEvent[],
  ): Promise<AgentRunSpecInput> {
    const { handle } = booted;
    if (!handle.proxyUrl) throw new Error(`a ${provision.flavour} sandbox has no way to the model`);
    const config = await readRepoConfig(handle.workspaceHostPath);
    const harness = provision.harness ?? 'opencode';
    const mismatch = harnessMismatch(harness, this.options.models.provider);
    if (mismatch) throw new Error(mismatch);
    let owner: CommitPerson | null = null;
    if (provision.ownerId) {
      const found = await this.options.owners.find(provision.ownerId);
      if (found.owner) owner = found.owner;
      else
        gaps.push({
          kind: 'setup_gap',
          signature: 'setup_gap:owner trailer',
          summary: `no owner Co-authored-by trailer: ${found.why}`,
          count: 1,
          evidence: [],
        });
    }
    return {
      runId: provision.runId,
      workItemId: provision.workItemId,
      kind: await this.kindOf(provision),
      harness,
      prompt: provision.prompt,
      repo: provision.repo,
      branch: provision.branch,
      baseRef: provision.baseRef,
      verify: provision.verify ?? config.verify,
      // Nothing starts the preview on a host that cannot check it.
      preview: this.options.browser ? (config.preview ?? null) : null,
      agent: this.options.agent,
      owner,
      model: { baseUrl: `${handle.proxyUrl}/_horizon/model`, ...this.options.models },
      mcp:
        this.options.mcp?.grant(
          {
            ...provision,
            // A run held at its budget gets the held time back on its deadline: its token
            // outlives the deadline by one answer timeout, so one hold does not cut it off.
            deadlineAt: new Date(
              Date.parse(provision.deadlineAt) + (provision.allowance?.answerTimeoutMs ?? 0),
            ),
            workspace: handle.workspaceHostPath,
          },
          handle.proxyUrl,
        ) ?? null,
      deadlineAt: provision.deadlineAt,
    };
  }

  /** The command's `kind`; else `plan` for plan sandboxes, `revise` when the branch was pushed before. */
  private async kindOf(provision: AgentRunTarget['provision']): Promise<AgentRunKind> {
    if (provision.kind) return provision.kind;
    if (provision.flavour === 'plan') return 'plan';
    const pushed = await this.options.remote.resolve(provision.repo, `refs/heads/${provision.branch}`);
    return pushed ? 'revise' : 'implement';
  }
}

/** `.horizon/verify.yaml`, or without one the page the preview says it is ready on. */
async function browserChecksOf(workspace: string, readyPath: string): Promise<BrowserChecks> {
  // Through the schema, so the default viewport and steps are the file's own defaults.
  return (
    (await readBrowserChecks(workspace)) ??
    browserChecksSchema.parse({ pages: [{ name: 'home', path: readyPath }] })
  );
}

function verificationLog(report: RunReport): string {
  return report.verification
    .map(
      (v) =>
        `$ ${v.command}  (round ${v.round}, exit ${v.exitCode}, ${v.durationMs} ms)\n${v.log.replace(/\n?$/, '\n')}`,
    )
    .join('\n');
}

import { createHash } from 'node:crypto';
import type { CheckFailure } from '@horizon/contracts';
import { octokitFor, readGithubCheckLogs } from '@horizon/integrations-github';
import type { LocalForgeClient } from '@horizon/local-forge-client';
import type { AgentLauncher, AgentRunOptions, AgentRunResult, AgentRunTarget } from '../application/ports';

/** What of a failing check's logs the agent reads: the end, where the failure is. */
export const CHECK_LOG_TAIL_CHARS = 20_000;

/** Reads a failing check's logs from the forge it ran on, for the fix run `runId`. */
export interface CheckLogReader {
  read(failure: CheckFailure, runId: string): Promise<string>;
}

/** A short-lived GitHub token for one repository, `checks` and `actions` read only, under a key. */
export interface ReadTokens {
  mint(key: string, repo: string): Promise<string>;
  revoke(key: string): Promise<void>;
}

/**
 * GitHub: the check run's output, or its Actions job's log (`readGithubCheckLogs`), read with a
 * token minted for this read alone (under a key derived from the run, so the run's own egress
 * token is untouched) and revoked right after.
 */
export class GithubCheckLogs implements CheckLogReader {
  constructor(
    private readonly tokens: ReadTokens,
    private readonly apiUrl: string,
  ) {}

  async read(failure: CheckFailure, runId: string): Promise<string> {
    const hex = createHash('sha256').update(`check-logs:${runId}`).digest('hex');
    const key = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
    const [owner, repo] = failure.repo.split('/') as [string, string];
    const token = await this.tokens.mint(key, failure.repo);
    try {
      return await readGithubCheckLogs(await octokitFor(token, this.apiUrl), {
        owner,
        repo,
        kind: failure.kind,
        id: failure.id,
      });
    } finally {
      await this.tokens.revoke(key).catch(() => undefined);
    }
  }
}

/** The local forge: a check run's output (what the user's CI reported with it). */
export class LocalForgeCheckLogs implements CheckLogReader {
  constructor(private readonly forge: Pick<LocalForgeClient, 'checkRuns'>) {}

  async read(failure: CheckFailure): Promise<string> {
    const [owner, name] = failure.repo.split('/') as [string, string];
    const runs = await this.forge.checkRuns(owner, name, failure.headSha);
    const run = runs.find((r) => r.id === failure.id);
    if (!run)
      throw new Error(`the local forge has no check run ${failure.id} on ${failure.headSha.slice(0, 7)}`);
    return run.summary;
  }
}

/** The prompt with the logs' tail (or why there are none) after it. */
export function promptWithLogs(
  prompt: string,
  failure: CheckFailure,
  logs: { text: string } | { error: string },
  tailChars = CHECK_LOG_TAIL_CHARS,
): string {
  if ('error' in logs)
    return `${prompt}\n\nThe logs of "${failure.name}" could not be fetched (${logs.error}): find the failure by running the repository's checks.`;
  const text = logs.text.trim();
  if (!text)
    return `${prompt}\n\n"${failure.name}" reported no output: find the failure by running the repository's checks.`;
  const cut = text.length > tailChars;
  const tail = cut ? text.slice(-tailChars) : text;
  const fence = '`'.repeat(Math.max(3, ...[...tail.matchAll(/`+/g)].map((m) => m[0].length + 1)));
  return [
    prompt,
    '',
    `Logs of "${failure.name}"${cut ? ` (the last ${tailChars} of ${text.length} characters)` : ''}:`,
    fence,
    tail,
    fence,
  ].join('\n');
}

/**
 * Gives a fix run (a provision naming `checkFailure`) the failing check's logs in its prompt,
 * read from the forge before the runner starts; other runs pass through. Logs that cannot be
 * read do not stop the run: the prompt says so and the agent runs the checks itself.
 */
export class CheckLogsLauncher implements AgentLauncher {
  constructor(
    private readonly inner: AgentLauncher,
    private readonly readers: Partial<Record<CheckFailure['forge'], CheckLogReader>>,
  ) {}

  get refusal(): string | null {
    return this.inner.refusal;
  }

  async run(target: AgentRunTarget, options: AgentRunOptions): Promise<AgentRunResult> {
    const failure = target.provision.checkFailure;
    if (!failure) return this.inner.run(target, options);
    const reader = this.readers[failure.forge];
    const logs = reader
      ? await reader.read(failure, target.provision.runId).then(
          (text) => ({ text }),
          (error: Error) => ({ error: error.message }),
        )
      : { error: `reading ${failure.forge} check logs is not configured on this host` };
    const prompt = promptWithLogs(target.provision.prompt, failure, logs);
    return this.inner.run({ ...target, provision: { ...target.provision, prompt } }, options);
  }
}

import type { Octokit } from '@octokit/rest' with { 'resolution-mode': 'import' };

/** A failing check as GitHub names it. */
export interface GithubCheckRef {
  owner: string;
  repo: string;
  kind: 'check_run' | 'check_suite' | 'workflow_run' | 'status';
  id: number;
}

/**
 * What a failing check on GitHub says about its failure: an Actions job's whole log (a GitHub
 * Actions check run's id is its job's: `actions.downloadJobLogsForWorkflowRun`, which GitHub
 * answers with a redirect to the log), or, for any other app's check run, its output (title,
 * summary, text). Suites, workflow runs and commit statuses are not read: their failing check
 * runs arrive as check runs of their own.
 */
export async function readGithubCheckLogs(octokit: Octokit, check: GithubCheckRef): Promise<string> {
  if (check.kind !== 'check_run')
    throw new Error(`a ${check.kind} has no log of its own; its failing check runs carry them`);
  const repo = { owner: check.owner, repo: check.repo };
  const { data: run } = await octokit.rest.checks.get({ ...repo, check_run_id: check.id });
  if (run.app?.slug === 'github-actions') {
    const { data } = await octokit.rest.actions.downloadJobLogsForWorkflowRun({ ...repo, job_id: check.id });
    return typeof data === 'string' ? data : Buffer.from(data as ArrayBuffer).toString('utf8');
  }
  return [run.output.title, run.output.summary, run.output.text].filter(Boolean).join('\n\n');
}

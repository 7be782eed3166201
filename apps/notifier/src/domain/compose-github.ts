import type { BrowserCheckResult, DataOf, runFinished } from '@horizon/contracts';
import type { Notification, Route } from './compose';

/** The check run Horizon reports every pushed commit's verification under. */
export const CHECK_RUN_NAME = 'Horizon verification';
/** The check run of the browser check of a pushed commit's preview (docs/browser-verification.md). */
export const BROWSER_CHECK_RUN_NAME = 'Horizon browser check';

type Results = NonNullable<Notification['checkRun']>['results'];

/** A check run on a commit a run pushed; none when the repository verifies nothing. */
export function checkRunNotice(push: {
  forge: 'github' | 'local';
  repo: string;
  runId: string;
  headSha: string;
  results: Results;
}): Notification[] {
  if (!push.results.length) return [];
  return [
    {
      channel: 'github',
      target: { forge: push.forge, repo: push.repo, runId: push.runId },
      dedupeKey: `github:check:${push.repo}:${push.headSha}`,
      title: CHECK_RUN_NAME,
      body: '',
      checkRun: { headSha: push.headSha, results: push.results },
    },
  ];
}

/**
 * The browser check of a pushed commit as a check run of its own: the last check of the change,
 * `success` when it passed, `neutral` when it could not be made (a failed one pushes nothing);
 * its summary and problems as the check's summary. None when the run checked no preview.
 */
export function browserCheckRunNotice(push: {
  forge: 'github' | 'local';
  repo: string;
  runId: string;
  headSha: string;
  browser: readonly BrowserCheckResult[] | undefined;
}): Notification[] {
  const final = push.browser?.filter((b) => b.target === 'change').at(-1);
  if (!final) return [];
  const conclusion =
    final.outcome === 'passed' ? 'success' : final.outcome === 'failed' ? 'failure' : 'neutral';
  return [
    {
      channel: 'github',
      target: { forge: push.forge, repo: push.repo, runId: push.runId },
      dedupeKey: `github:browser-check:${push.repo}:${push.headSha}`,
      title: BROWSER_CHECK_RUN_NAME,
      body: [final.summary, ...final.problems.map((p) => `- ${p}`)].join('\n'),
      checkRun: { headSha: push.headSha, results: [], conclusion },
    },
  ];
}

/**
 * A run that ends while its item's PR is open pushed to that PR (a revise run): the PR gets a
 * comment saying what it did, with its browser check (`browserCheck`) when it had one, and a check
 * run on the new commit. The first run's PR is opened after its run ended; its check run comes
 * with the announcement.
 */
export function onRunFinishedOnPullRequest(
  data: DataOf<typeof runFinished>,
  route: Route,
  browserCheck?: string,
): Notification[] {
  const pr = route.sourceRefs.pullRequest;
  if (!pr) return [];
  const repo = `${pr.repo.owner}/${pr.repo.name}`;
  const target = { forge: pr.provider, repo, runId: data.runId, number: String(pr.number) };
  const passed = data.verification.filter((v) => v.exitCode === 0).length;
  const verification = data.verification.length
    ? `Verification: ${passed}/${data.verification.length} passed (${data.verification.map((v) => `\`${v.command}\` → ${v.exitCode}`).join(', ')}).`
    : '';
  const body =
    data.outcome === 'succeeded' && data.commitSha
      ? [`Pushed \`${data.commitSha.slice(0, 7)}\` to \`${pr.branch}\`.`, data.summary ?? '', verification]
      : [`The revision ended ${data.outcome}${data.reason ? `: ${data.reason}` : ''}. Nothing was pushed.`];
  // Pushed or not, what the browser saw is evidence for the reviewer (a failed check says why).
  if (browserCheck) body.push(browserCheck);
  return [
    {
      channel: 'github',
      target,
      dedupeKey: `github:comment:${data.runId}`,
      title: data.outcome === 'succeeded' ? 'Horizon revised this pull request' : 'Horizon could not revise',
      body: body.filter(Boolean).join('\n\n'),
    },
    ...(data.outcome === 'succeeded' && data.commitSha
      ? [
          ...checkRunNotice({
            forge: pr.provider,
            repo,
            runId: data.runId,
            headSha: data.commitSha,
            results: data.verification,
          }),
          ...browserCheckRunNotice({
            forge: pr.provider,
            repo,
            runId: data.runId,
            headSha: data.commitSha,
            browser: data.browser,
          }),
        ]
      : []),
  ];
}

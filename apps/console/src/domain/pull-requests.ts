import type { WorkItemSummary } from '@horizon/contracts';

/**
 * The work item a pull request belongs to: the one whose `sourceRefs.pullRequest` names it, else
 * one whose branch is the pull request's head branch (newest first, as the orchestrator lists).
 */
export function workItemOfPull(
  items: readonly WorkItemSummary[],
  pull: { owner: string; name: string; number: number; headRef: string },
): WorkItemSummary | null {
  const byRef = items.find((item) => {
    const pr = (item.sourceRefs as { pullRequest?: PullRequestRef }).pullRequest;
    return (
      pr?.provider === 'local' &&
      pr.number === pull.number &&
      pr.repo?.owner === pull.owner &&
      pr.repo?.name === pull.name
    );
  });
  return byRef ?? items.find((item) => item.branch === pull.headRef) ?? null;
}

interface PullRequestRef {
  provider: 'github' | 'local';
  repo?: { owner: string; name: string };
  number: number;
}

export type PullAction = 'read' | 'review' | 'merge';

/**
 * What the console answers when the forge refuses: the status to answer and a message that
 * says what failed and what to do.
 */
export function explainRefusal(
  action: PullAction,
  forge: { status: number; message: string },
  where: string,
): { status: number; message: string } {
  const said = forge.message.replace(/^[A-Z]+ \S+: \d{3}\s*/, '');
  if (forge.status === 401)
    return {
      status: 502,
      message: `the local forge refused the console's token: set FORGE_TOKEN to the forge's token (or unset it to read $HORIZON_DATA_DIR/forge.token)`,
    };
  if (forge.status === 404)
    return { status: 404, message: `no pull request ${where} on the local forge; check the link` };
  if (action === 'merge' && forge.status === 405) {
    if (/approving review/.test(said))
      return { status: 409, message: `not mergeable: approve it first (${said})` };
    if (/changes requested/.test(said))
      return {
        status: 409,
        message: `not mergeable: ${said}; wait for the revise run's new commit, then approve it`,
      };
    if (/already merged|closed/.test(said))
      return { status: 409, message: `not mergeable: ${said}; reload the page` };
    return {
      status: 409,
      message: `not mergeable: ${said.replace(/^not mergeable: /, '')}; update the branch, then try again`,
    };
  }
  if (action === 'merge' && forge.status === 409)
    return { status: 409, message: `${said}; reload the page and review the new head before merging` };
  if (forge.status === 422 || forge.status === 400)
    return { status: 422, message: `the forge refused the ${action}: ${said}` };
  return {
    status: 502,
    message: `the local forge failed the ${action} (${forge.status} ${said}); its log in .horizon/logs/ says why`,
  };
}

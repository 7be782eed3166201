import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AgentRunSpec } from '@horizon/contracts';
import type { GitWorkspace } from './git-workspace';
import { RunStopped } from './run-stopped';
import { oneLine, type Transcript } from './transcript';

export interface BaseMerge {
  /** The files left in conflict, for the agent to resolve. */
  conflicts: string[];
  /** A merge is in progress: the run's commit concludes it, even when it changes no file. */
  merging: boolean;
}

/**
 * A rebase run brings its branch up to date by merging the base into it: the branch's history
 * stays, so the push is a fast-forward and needs no force.
 */
export async function mergeBase(
  repo: GitWorkspace,
  spec: AgentRunSpec,
  transcript: Transcript,
): Promise<BaseMerge> {
  await repo.git(['fetch', '--quiet', 'origin', `refs/heads/${spec.baseRef}`], `fetching ${spec.baseRef}`);
  // git asks for an identity even before it commits; the commit is made later, as the agent.
  const merged = await repo.run([
    '-c', `user.name=${spec.agent.name}`, '-c', `user.email=${spec.agent.email}`,
    'merge', '--no-ff', '--no-commit', 'FETCH_HEAD',
  ]); // prettier-ignore
  repo.stopIfInterrupted(merged, `merging ${spec.baseRef}`);
  const conflicts = (
    await repo.git(['diff', '--name-only', '--diff-filter=U'], 'listing the conflicts')
  ).output
    .split('\n')
    .filter(Boolean);
  const mergeHead = await repo.run(['rev-parse', '--quiet', '--verify', 'MERGE_HEAD']);
  if (merged.exitCode !== 0 && conflicts.length === 0)
    throw new RunStopped(
      'failed',
      `merging ${spec.baseRef} failed: ${oneLine(merged.stderr || merged.output, 300)}`,
    );
  transcript.emit(
    'provisioning',
    'base.merged',
    conflicts.length
      ? `merging ${spec.baseRef}: ${conflicts.length} file(s) in conflict`
      : `merged ${spec.baseRef} cleanly`,
    { baseRef: spec.baseRef, conflicts },
  );
  return { conflicts, merging: mergeHead.exitCode === 0 };
}

/** The agent's resolution: a file still holding conflict markers ends the run, naming it. */
export async function checkResolved(
  workdir: string,
  spec: AgentRunSpec,
  conflicts: readonly string[],
): Promise<void> {
  const marker = /^(<{7}|={7}|>{7})( |$)/m;
  const left: string[] = [];
  for (const file of conflicts) {
    const text = await readFile(join(workdir, file), 'utf8').catch(() => '');
    if (marker.test(text)) left.push(file);
  }
  if (left.length > 0)
    throw new RunStopped(
      'failed',
      `could not resolve the merge conflicts with ${spec.baseRef} in ${left.join(', ')} (conflict markers remain)`,
    );
}

import { harnessNameSchema, type HarnessName } from '@horizon/contracts';

/** The label that picks an item's harness, e.g. `harness:codex`. */
export const HARNESS_LABEL_PREFIX = 'harness:';

export interface HarnessChoice {
  harness: HarnessName;
  /** Where it came from, for the run's record and the person reading it. */
  from: 'item label' | 'repository' | 'default';
}

/**
 * Which harness a run uses: the item's `harness:<name>` label, else its repository's
 * `.horizon/config.yaml` `agent.harness`, else the installation's default. A label naming no
 * harness Horizon has is not a choice (the next one decides), so a typo never fails the work.
 */
export function chooseHarness(
  labels: readonly string[],
  repository: HarnessName | null,
  fallback: HarnessName,
): HarnessChoice {
  for (const label of labels) {
    if (!label.startsWith(HARNESS_LABEL_PREFIX)) continue;
    const named = harnessNameSchema.safeParse(label.slice(HARNESS_LABEL_PREFIX.length).trim().toLowerCase());
    if (named.success) return { harness: named.data, from: 'item label' };
  }
  if (repository) return { harness: repository, from: 'repository' };
  return { harness: fallback, from: 'default' };
}

import {
  harnessOfLabel,
  type HarnessFlavour,
  type HarnessName,
  type RepoAgentSettings,
} from '@horizon/contracts';

export interface HarnessChoice {
  harness: HarnessName;
  /** Where it came from, for the run's record and the person reading it. */
  from: 'item label' | 'repository flavour' | 'repository' | 'default';
}

/**
 * Which harness a run of `flavour` uses: the item's `harness:<name>` label, else its
 * repository's `.horizon/config.yaml` `agent.harness` for that flavour, else the repository's
 * for every flavour (a plain name, or the map's `default`), else the installation's default. A
 * label naming no harness Horizon has is not a choice (the next one decides), so a typo never
 * fails the work.
 */
export function chooseHarness(
  labels: readonly string[],
  flavour: HarnessFlavour,
  repository: RepoAgentSettings['harness'] | null,
  fallback: HarnessName,
): HarnessChoice {
  for (const label of labels) {
    const named = harnessOfLabel(label);
    if (named) return { harness: named, from: 'item label' };
  }
  if (typeof repository === 'string') return { harness: repository, from: 'repository' };
  const forFlavour = repository?.[flavour];
  if (forFlavour) return { harness: forFlavour, from: 'repository flavour' };
  if (repository?.default) return { harness: repository.default, from: 'repository' };
  return { harness: fallback, from: 'default' };
}

/**
 * The browser verification of a run as the console's API answers it (`GET /api/runs/:id`,
 * `browser`). Type-only imports keep zod and the contracts catalog out of the browser bundle.
 */
import type { BrowserCheckResult, BrowserEvidenceKind, BrowserEvidenceMetadata } from '@horizon/contracts';

export type { BrowserCheckResult, BrowserEvidenceKind };

/**
 * One screenshot, DOM snapshot or visual diff of a page of `.horizon/verify.yaml`: `target` is
 * what was captured (`diff`: the change against the base), `round` the verification round.
 * `url` serves the file (`GET /api/runs/:runId/evidence/:artifactId`, with the run's access).
 */
export interface BrowserEvidenceView extends Omit<BrowserEvidenceMetadata, 'changedRatio'> {
  id: string;
  kind: BrowserEvidenceKind;
  /** For a visual diff: the share of pixels that differ from the base (0–1); else null. */
  changedRatio: number | null;
  contentType: string;
  sizeBytes: number;
  url: string;
}

/**
 * The run's browser checks in the order it made them (the base, then the change each round; none
 * without a preview) and their evidence in the order it was published.
 */
export interface RunBrowserView {
  results: BrowserCheckResult[];
  evidence: BrowserEvidenceView[];
}

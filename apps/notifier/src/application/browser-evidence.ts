import {
  browserEvidenceMetadataSchema,
  type BrowserCheckResult,
  type DataOf,
  type sandboxArtifactRecorded,
} from '@horizon/contracts';
import { Outcome, type HandlerOutcome } from '@horizon/messaging';
import { browserCheckMarkdown, evidenceAwaited } from '../domain/compose-browser';
import type { BrowserEvidenceStore } from '../persistence/browser-evidence-store';

/**
 * Deliveries a PR summary waits for its run's browser evidence before it goes without the links.
 * The files are announced right after `run.finished`, in the same transaction, and the notifier
 * handles several events at once: they are there within a second, a few on a loaded host.
 */
const EVIDENCE_WAIT_DELIVERIES = 6;
const EVIDENCE_WAIT_MS = 1000;

/** The browser check's markdown for a PR summary, or the retry that waits for its evidence. */
export type BrowserSection =
  { ready: true; markdown: string | undefined } | { ready: false; retry: HandlerOutcome };

/**
 * Links a run's browser evidence from its pull request: keeps the ids of its screenshots and
 * visual diffs (DOM snapshots are for the console's run page), and writes the browser check with
 * links to them through the console, where people may read what they may read of the run.
 */
export class BrowserEvidenceLinks {
  constructor(
    private readonly store: BrowserEvidenceStore,
    private readonly consoleUrl: string,
  ) {}

  /** Keeps a screenshot's or visual diff's id; any other artifact is not linked from a PR. */
  async record(data: DataOf<typeof sandboxArtifactRecorded>): Promise<void> {
    if (data.kind !== 'screenshot' && data.kind !== 'visual_diff') return;
    const metadata = browserEvidenceMetadataSchema.safeParse(data.metadata);
    if (!metadata.success) return;
    const { page, target, round, changedRatio } = metadata.data;
    await this.store.record(data.runId, {
      artifactId: data.artifactId,
      kind: data.kind,
      page,
      target,
      round,
      changedRatio: changedRatio ?? null,
    });
  }

  /** `deliveryCount`: the delivery of the message writing the summary (1 on the first). */
  async section(
    runId: string,
    results: BrowserCheckResult[] | undefined,
    deliveryCount: number,
  ): Promise<BrowserSection> {
    if (!results?.length) return { ready: true, markdown: undefined };
    const evidence = await this.store.ofRun(runId);
    if (evidenceAwaited(results, evidence) && deliveryCount < EVIDENCE_WAIT_DELIVERIES)
      return { ready: false, retry: Outcome.retry('browser evidence not recorded yet', EVIDENCE_WAIT_MS) };
    return {
      ready: true,
      markdown: browserCheckMarkdown({ runId, consoleUrl: this.consoleUrl }, results, evidence),
    };
  }
}

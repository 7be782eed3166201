import type { BrowserCheckResult, BrowserEvidenceMetadata } from '@horizon/contracts';

/** A browser evidence file the pull request links: a screenshot, or the visual diff of a page. */
export interface LinkedEvidence extends Pick<BrowserEvidenceMetadata, 'page' | 'target' | 'round'> {
  artifactId: string;
  kind: 'screenshot' | 'visual_diff';
  /** For a visual diff: the share of pixels that differ from the base (0–1); else null. */
  changedRatio: number | null;
}

/** The check that decides: the change's in its last round (the base is only what it is compared with). */
export function finalCheck(results: readonly BrowserCheckResult[]): BrowserCheckResult | undefined {
  return results
    .filter((r) => r.target === 'change')
    .reduce<BrowserCheckResult | undefined>(
      (last, r) => (last && last.round > r.round ? last : r),
      undefined,
    );
}

/**
 * Whether the final check's files have yet to arrive: it ran, and none of its change screenshots
 * and diffs is known, or — when the base was captured, so every page has a diff — a page's
 * screenshot is known without its diff. They are published after `run.finished` and handled
 * side by side, so a summary may be written first, or between two of them.
 */
export function evidenceAwaited(
  results: readonly BrowserCheckResult[],
  evidence: readonly LinkedEvidence[],
): boolean {
  const final = finalCheck(results);
  if (!final || final.outcome === 'skipped') return false;
  const known = evidence.filter((e) => ofFinal(e, final));
  if (known.length === 0) return true;
  const compared = results.some((r) => r.target === 'base' && r.outcome === 'passed');
  const withDiff = new Set(known.filter((e) => e.kind === 'visual_diff').map((e) => e.page));
  return compared && known.some((e) => e.kind === 'screenshot' && !withDiff.has(e.page));
}

/**
 * The browser check in the run's PR summary: one line for its outcome (the first problem when it
 * failed), then each page's change screenshot and visual diff, through the console's evidence
 * route (whoever follows a link must be allowed to read the run). Nothing when the change was
 * not checked. Text from the page goes in code spans: it is the page's, and must not mention
 * anyone or format the summary.
 */
export function browserCheckMarkdown(
  run: { runId: string; consoleUrl: string },
  results: readonly BrowserCheckResult[],
  evidence: readonly LinkedEvidence[],
): string | undefined {
  const final = finalCheck(results);
  if (!final) return undefined;
  const outcome =
    final.outcome === 'failed'
      ? `failed: ${code(final.problems[0] ?? final.summary)}`
      : `${final.outcome} — ${final.summary}`;
  const url = (e: LinkedEvidence) =>
    `${run.consoleUrl.replace(/\/+$/, '')}/api/runs/${run.runId}/evidence/${e.artifactId}`;
  const shown = evidence.filter((e) => ofFinal(e, final));
  const pages = [...new Set(shown.map((e) => e.page))].map((page) => {
    const links = shown
      .filter((e) => e.page === page)
      .sort((a, b) => a.kind.localeCompare(b.kind))
      .map((e) => (e.kind === 'screenshot' ? `[change](${url(e)})` : `[diff, ${changed(e)}](${url(e)})`));
    return `- ${code(page)}: ${links.join(' · ')}`;
  });
  return [`**Browser check:** ${outcome}`, pages.join('\n')].filter(Boolean).join('\n\n');
}

function ofFinal(e: LinkedEvidence, final: BrowserCheckResult): boolean {
  return e.round === final.round && e.target !== 'base';
}

function changed(diff: LinkedEvidence): string {
  const ratio = diff.changedRatio ?? 0;
  return ratio === 0 ? 'unchanged' : `${(ratio * 100).toFixed(1)}% changed`;
}

function code(text: string): string {
  return `\`${text.replace(/`/g, "'").replace(/\s+/g, ' ')}\``;
}

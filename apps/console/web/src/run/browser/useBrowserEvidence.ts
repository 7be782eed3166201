import { useMemo } from 'react';
import type {
  BrowserCheckResult,
  BrowserEvidenceView,
  RunBrowserView,
} from '../../../../src/shared/run-browser';

/** A page's capture of one target: its screenshot and DOM snapshot, either may be missing. */
export interface Capture {
  screenshot: BrowserEvidenceView | null;
  dom: BrowserEvidenceView | null;
}

/** One page of `.horizon/verify.yaml` as the reviewer compares it: base, change and their diff. */
export interface EvidencePage {
  page: string;
  path: string;
  base: Capture;
  change: Capture;
  diff: BrowserEvidenceView | null;
}

export interface BrowserEvidenceData {
  results: BrowserCheckResult[];
  /** The round whose change is shown: the last the change was checked in (null: never). */
  round: number | null;
  pages: EvidencePage[];
}

/**
 * The run's browser verification arranged for review: each page's base, its change in the last
 * round checked and the diff between them, pages in the order they were captured. Null when the
 * run has no browser results: the run page then shows no section at all.
 */
export function useBrowserEvidence(browser: RunBrowserView): BrowserEvidenceData | null {
  return useMemo(() => arrange(browser), [browser]);
}

function arrange({ results, evidence }: RunBrowserView): BrowserEvidenceData | null {
  if (results.length === 0) return null;
  const rounds = results.filter((r) => r.target === 'change').map((r) => r.round);
  const round = rounds.length ? Math.max(...rounds) : null;
  const pages = new Map<string, EvidencePage>();
  const capture = (target: 'base' | 'change', kind: BrowserEvidenceView['kind']) =>
    evidence.filter(
      (e) => e.target === target && e.kind === kind && (target === 'base' || e.round === round),
    );
  const pageOf = (e: BrowserEvidenceView): EvidencePage => {
    const known = pages.get(e.page);
    if (known) return known;
    const fresh: EvidencePage = {
      page: e.page,
      path: e.path,
      base: { screenshot: null, dom: null },
      change: { screenshot: null, dom: null },
      diff: null,
    };
    pages.set(e.page, fresh);
    return fresh;
  };
  // Later files replace earlier ones: a base checked again keeps its latest capture.
  for (const target of ['base', 'change'] as const) {
    for (const e of capture(target, 'screenshot')) pageOf(e)[target].screenshot = e;
    for (const e of capture(target, 'dom_snapshot')) pageOf(e)[target].dom = e;
  }
  for (const e of evidence.filter((d) => d.kind === 'visual_diff' && d.round === round)) pageOf(e).diff = e;
  return { results, round, pages: [...pages.values()] };
}

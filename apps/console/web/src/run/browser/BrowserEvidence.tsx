import type { RunBrowserView } from '../../../../src/shared/run-browser';
import './browser.css';
import { CheckResults } from './CheckResults';
import { PageEvidence } from './PageEvidence';
import { useBrowserEvidence } from './useBrowserEvidence';

/**
 * What the browser saw of the run's preview, first thing a reviewer reads: the checks' verdicts,
 * then each page of the base and of the change, with the diff between them. Nothing at all for a
 * run without browser checks (no `preview` in the repository's config).
 */
export function BrowserEvidence({ browser }: { browser: RunBrowserView }) {
  const data = useBrowserEvidence(browser);
  if (!data) return null;
  return (
    <section aria-labelledby="browser-title" className="browser-evidence">
      <h2 id="browser-title">Browser evidence</h2>
      <CheckResults results={data.results} />
      {data.pages.length === 0 ? (
        <p className="muted">No screenshots were kept.</p>
      ) : (
        <ul className="browser-pages">
          {data.pages.map((p) => (
            <PageEvidence key={p.page} page={p} />
          ))}
        </ul>
      )}
    </section>
  );
}

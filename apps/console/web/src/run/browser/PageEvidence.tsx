import type { BrowserEvidenceView } from '../../../../src/shared/run-browser';
import type { Capture, EvidencePage } from './useBrowserEvidence';

/** A screenshot as a thumbnail opening the full image; the caption says what it is. */
function Shot({ image, caption, alt }: { image: BrowserEvidenceView | null; caption: string; alt: string }) {
  return (
    <figure className="browser-shot">
      {image ? (
        <a href={image.url} target="_blank" rel="noreferrer">
          <img src={image.url} alt={alt} loading="lazy" />
        </a>
      ) : (
        <p className="muted">No screenshot</p>
      )}
      <figcaption>{caption}</figcaption>
    </figure>
  );
}

function changed(diff: BrowserEvidenceView): string {
  const ratio = diff.changedRatio ?? 0;
  return ratio === 0 ? 'unchanged' : `${(ratio * 100).toFixed(1)}% changed`;
}

/** The DOM snapshot as a download: the console never shows the change's HTML as a page. */
function DomLink({ capture, page, target }: { capture: Capture; page: string; target: 'base' | 'change' }) {
  if (!capture.dom) return null;
  return (
    <a href={capture.dom.url} download aria-label={`DOM snapshot of the ${target} (${page})`}>
      DOM snapshot of the {target}
    </a>
  );
}

/** One page's base, change and diff side by side, each opening the full image. */
export function PageEvidence({ page }: { page: EvidencePage }) {
  const name = `${page.page} (${page.path})`;
  return (
    <li className="browser-page">
      <h3>{name}</h3>
      <div className="browser-shots">
        <Shot image={page.base.screenshot} caption="Base" alt={`${name}, base`} />
        <Shot image={page.change.screenshot} caption="Change" alt={`${name}, change`} />
        <Shot
          image={page.diff}
          caption={page.diff ? `Diff — ${changed(page.diff)}` : 'Diff'}
          alt={`${name}, difference from the base`}
        />
      </div>
      <p className="browser-doms">
        <DomLink capture={page.base} page={page.page} target="base" />{' '}
        <DomLink capture={page.change} page={page.page} target="change" />
      </p>
    </li>
  );
}

import { lazy, Suspense } from 'react';
import './markdown.css';

// The renderer (react-markdown with GitHub's tables and task lists) is its own chunk: pages
// show the text as written until it arrives, so the entry bundle does not carry it.
const Rendered = lazy(() => import('./RenderedMarkdown'));

/**
 * Markdown as GitHub shows it — a pull request's body, a check run's summary, a review, an
 * item's description. Raw HTML in the text is shown as text, never run: react-markdown builds
 * React elements and does not pass HTML through.
 */
export function Markdown({ text, className }: { text: string; className?: string }) {
  const classes = `markdown${className ? ` ${className}` : ''}`;
  return (
    <Suspense
      fallback={
        <div className={classes}>
          <p className="prose">{text}</p>
        </div>
      }
    >
      <Rendered text={text} className={classes} />
    </Suspense>
  );
}

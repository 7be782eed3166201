import { Markdown } from '../markdown/Markdown';

/**
 * Splits an item's description into its prose and its acceptance criteria: the lines after
 * an "Acceptance criteria" heading (markdown `#`s or a trailing colon optional) until the
 * next heading.
 */
export function splitDescription(text: string): { body: string; criteria: string[] } {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => /^\s*(#+\s*)?acceptance criteria:?\s*$/i.test(l));
  if (start === -1) return { body: text.trim(), criteria: [] };
  let end = lines.findIndex((l, i) => i > start && /^\s*#+\s/.test(l));
  if (end === -1) end = lines.length;
  const criteria = lines
    .slice(start + 1, end)
    .map((l) => l.replace(/^\s*([-*]|\d+[.)])\s+(\[[ xX]\]\s+)?/, '').trim())
    .filter(Boolean);
  const body = [...lines.slice(0, start), ...lines.slice(end)].join('\n').trim();
  return { body, criteria };
}

/** The description as markdown (never HTML from the text), its acceptance criteria apart. */
export function Description({ text }: { text: string }) {
  const { body, criteria } = splitDescription(text);
  return (
    <>
      <section aria-labelledby="description-title">
        <h2 id="description-title">Description</h2>
        {body ? <Markdown text={body} /> : <p className="muted">No description.</p>}
      </section>
      {criteria.length > 0 && (
        <section aria-labelledby="criteria-title">
          <h2 id="criteria-title">Acceptance criteria</h2>
          <ul>
            {criteria.map((c, i) => (
              <li key={i}>{c}</li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}

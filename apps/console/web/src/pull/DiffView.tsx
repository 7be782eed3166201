import { useEffect, useMemo, useState, type ReactNode } from 'react';
import {
  Diff,
  Hunk,
  getChangeKey,
  isDelete,
  parseDiff,
  tokenize,
  type FileData,
  type HunkTokens,
  type RenderToken,
} from 'react-diff-view';
import 'react-diff-view/style/index.css';
import type { ReviewCommentView } from '../../../src/shared/console-api';
import type { Highlighter } from './highlight';
import { languageOf } from './languages';

function pathOf(file: FileData): string {
  return file.type === 'delete' ? file.oldPath : file.newPath;
}

/** Shiki's tokens carry their colour; everything else renders as react-diff-view would. */
const renderToken: RenderToken = (token, renderDefault, i) => {
  if (typeof token.color === 'string')
    return (
      <span key={i} style={{ color: token.color }}>
        {token.children?.map((child, j) => renderDefault(child, j))}
      </span>
    );
  return renderDefault(token, i);
};

/** Loads shiki (a lazy chunk) for the file's language; null until then, or when there is none. */
function useHighlighter(language: string | null): Highlighter | null {
  const [highlighter, setHighlighter] = useState<Highlighter | null>(null);
  useEffect(() => {
    if (!language) return;
    let live = true;
    import('./highlight')
      .then((m) => m.highlighterFor(language))
      .then((h) => {
        if (live) setHighlighter(h);
      })
      // Highlighting is a nicety: the diff reads the same without it.
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [language]);
  return highlighter;
}

function FileDiff({ file, comments }: { file: FileData; comments: ReviewCommentView[] }) {
  const path = pathOf(file);
  const language = languageOf(path);
  const highlighter = useHighlighter(language);
  const tokens = useMemo<HunkTokens | undefined>(() => {
    if (!highlighter || !language) return undefined;
    try {
      return tokenize(file.hunks, { highlight: true, refractor: highlighter as never, language });
    } catch {
      return undefined;
    }
  }, [file.hunks, highlighter, language]);
  // A line comment shows under the line it is on (new side), when that line is in the diff.
  const widgets = useMemo(() => {
    const out: Record<string, ReactNode> = {};
    for (const hunk of file.hunks)
      for (const change of hunk.changes) {
        if (isDelete(change)) continue;
        const line = change.type === 'normal' ? change.newLineNumber : change.lineNumber;
        const here = comments.filter((c) => c.line === line);
        if (here.length)
          out[getChangeKey(change)] = (
            <ul className="inline-comments" aria-label={`Comments on ${path} line ${line}`}>
              {here.map((c) => (
                <li key={c.id}>
                  <strong>{c.author}</strong>: {c.body}
                </li>
              ))}
            </ul>
          );
      }
    return out;
  }, [file.hunks, comments, path]);

  return (
    <section className="diff-file" aria-label={`Changes to ${path}`}>
      <h3>
        <code>{file.type === 'rename' ? `${file.oldPath} → ${file.newPath}` : path}</code>{' '}
        <span className="diff-file-type">{file.type}</span>
      </h3>
      {file.hunks.length === 0 ? (
        <p>No textual changes (binary, or only its mode changed).</p>
      ) : (
        <Diff
          viewType="unified"
          diffType={file.type}
          hunks={file.hunks}
          tokens={tokens}
          widgets={widgets}
          renderToken={renderToken}
        >
          {(hunks) => hunks.map((hunk) => <Hunk key={hunk.content} hunk={hunk} />)}
        </Diff>
      )}
    </section>
  );
}

/** The pull request's unified diff, file by file, line comments inline. */
export function DiffView({ diff, comments }: { diff: string; comments: ReviewCommentView[] }) {
  const files = useMemo(() => parseDiff(diff, { nearbySequences: 'zip' }), [diff]);
  if (files.length === 0) return <p>The diff is empty: the branch has no changes against its base.</p>;
  return (
    <>
      {files.map((file) => (
        <FileDiff
          key={`${file.oldRevision}-${file.newRevision}-${pathOf(file)}`}
          file={file}
          comments={comments.filter((c) => c.path === pathOf(file))}
        />
      ))}
    </>
  );
}

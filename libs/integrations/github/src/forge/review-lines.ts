import gitDiffParser from 'gitdiff-parser';

/**
 * GitHub's rule for where a pull-request review comment may sit, shared by the local forge
 * and the GitHub stand-in so both refuse what GitHub refuses. The lines, by path: the new side's lines of the diff's hunks
 * (added and unchanged context), as GitHub resolves `line` with `side: RIGHT`. gitdiff-parser
 * (the parser the console's diff view uses) reads git's unified diff.
 */
export function commentableLines(diff: string): Map<string, Set<number>> {
  const lines = new Map<string, Set<number>>();
  for (const file of gitDiffParser.parse(diff)) {
    if (file.type === 'delete') continue;
    const onFile = new Set<number>();
    for (const hunk of file.hunks)
      for (const change of hunk.changes) {
        if (change.type === 'insert') onFile.add(change.lineNumber);
        else if (change.type === 'normal') onFile.add(change.newLineNumber);
      }
    lines.set(file.newPath, onFile);
  }
  return lines;
}

/** Why GitHub would refuse a review comment there (its 422 wording), or null when it may be placed. */
export function unresolvedComment(
  lines: Map<string, Set<number>>,
  comment: { path: string; line?: number | null },
): string | null {
  const onFile = lines.get(comment.path);
  if (!onFile) return `Path could not be resolved: ${comment.path} is not part of the diff`;
  if (comment.line === undefined || comment.line === null) return null;
  if (!onFile.has(comment.line))
    return `Line could not be resolved: ${comment.path}:${comment.line} is not part of the diff`;
  return null;
}
